import Markdown, { type Components } from "react-markdown";

// A run's summary is written by the agent, and the agent reads untrusted repository content: a
// prompt injection could make it write an image whose URL carries data to another site. So images
// load only from this origin; any other becomes a line of text saying what was not loaded.
// (The server's Content-Security-Policy refuses them too.)
export function isSameOrigin(src: string | undefined, origin = window.location.origin): boolean {
  if (!src) return false;
  try {
    return new URL(src, origin).origin === origin;
  } catch {
    return false;
  }
}

function describe(src: string | undefined): string {
  try {
    return new URL(src ?? "", window.location.origin).host || "another site";
  } catch {
    return "another site";
  }
}

export const markdownComponents: Components = {
  img: ({ src, alt }) =>
    typeof src === "string" && isSameOrigin(src) ? (
      <img src={src} alt={alt ?? ""} />
    ) : (
      <span className="blocked-image" title="Images from other sites are not loaded">
        [image not loaded{alt ? `: ${alt}` : ""} — from {describe(typeof src === "string" ? src : undefined)}]
      </span>
    ),
  a: ({ href, children }) => (
    <a href={href} target="_blank" rel="noreferrer noopener">
      {children}
    </a>
  ),
};

export function SummaryMarkdown({ text }: { text: string }) {
  return <Markdown components={markdownComponents}>{text}</Markdown>;
}
