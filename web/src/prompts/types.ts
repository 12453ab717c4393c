import type { components } from "../api/schema";

export type SavedPrompt = components["schemas"]["SavedPromptResponse"];
