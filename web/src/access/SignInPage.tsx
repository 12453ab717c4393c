import { useQueryClient } from "@tanstack/react-query";
import { useNavigate, useSearch } from "@tanstack/react-router";
import { useState } from "react";
import { apiKey } from "../api/client";
import { PageHeading } from "../ui/PageHeading";

export function SignInPage() {
  const navigate = useNavigate();
  const client = useQueryClient();
  const { next } = useSearch({ from: "/sign-in" });
  const [key, setKey] = useState("");
  const [error, setError] = useState<string | null>(null);

  return (
    <main className="narrow">
      <PageHeading title="Sign in" />
      <p>This Cody Batch server needs an API key. It is kept for this browser session only.</p>
      <form
        onSubmit={async (e) => {
          e.preventDefault();
          const response = await fetch("/api/jobs?limit=1", { headers: { Authorization: `Bearer ${key.trim()}` } });
          if (response.ok) {
            apiKey.set(key.trim());
            // Whatever was asked without the key (who you are, above all) is asked again with it.
            await client.resetQueries();
            navigate({ to: next && next.startsWith("/") ? next : "/" });
          } else {
            setError(response.status === 401 ? "That key is not accepted by this server." : `The server answered ${response.status}.`);
          }
        }}
      >
        <label htmlFor="api-key">API key</label>
        <input id="api-key" type="password" autoComplete="off" value={key} onChange={(e) => setKey(e.target.value)} aria-invalid={!!error} />
        {error && <p className="field-error" role="alert">{error}</p>}
        <button type="submit" className="primary" disabled={!key.trim()}>Sign in</button>
      </form>
    </main>
  );
}
