import { render } from "preact";
import { useState } from "preact/hooks";
import "./styles.css";

// A first page: sign up or sign in against the API and see who you are. The full client
// (rooms, messages, live updates) grows from here.

type Profile = { id: string; username: string; displayName: string };
type AuthResult = { user: Profile; accessToken: string; refreshToken: string; expiresIn: number };
type ApiErrorBody = { error?: { message?: string } };

async function authenticate(mode: "login" | "register", username: string, password: string) {
  const response = await fetch(`/api/auth/${mode}`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ username, password }),
  });
  const body: unknown = await response.json();
  if (!response.ok) throw new Error((body as ApiErrorBody).error?.message ?? `HTTP ${response.status}`);
  return body as AuthResult;
}

function App() {
  const [user, setUser] = useState<Profile | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  async function submit(event: SubmitEvent) {
    event.preventDefault();
    // Two submit buttons share the form; the one pressed says whether to sign in or sign up.
    const mode = (event.submitter as HTMLButtonElement | null)?.value === "register" ? "register" : "login";
    const form = new FormData(event.currentTarget as HTMLFormElement);
    setBusy(true);
    setError(null);
    try {
      const result = await authenticate(mode, String(form.get("username")), String(form.get("password")));
      setUser(result.user);
    } catch (failure) {
      setError(failure instanceof Error ? failure.message : String(failure));
    } finally {
      setBusy(false);
    }
  }

  if (user) {
    return (
      <main class="card">
        <h1>Hubbub</h1>
        <p>
          Signed in as <strong>{user.displayName}</strong> (@{user.username}).
        </p>
        <button type="button" onClick={() => setUser(null)}>
          Sign out
        </button>
      </main>
    );
  }

  return (
    <main class="card">
      <h1>Hubbub</h1>
      <p class="lead">Real-time chat at the edge.</p>
      <form onSubmit={submit}>
        <label>
          Username
          <input name="username" autocomplete="username" required minLength={3} maxLength={32} />
        </label>
        <label>
          Password
          <input name="password" type="password" autocomplete="current-password" required minLength={8} />
        </label>
        {error && (
          <p class="error" role="alert">
            {error}
          </p>
        )}
        <div class="actions">
          <button type="submit" name="mode" value="login" disabled={busy}>
            Sign in
          </button>
          <button type="submit" name="mode" value="register" class="secondary" disabled={busy}>
            Create account
          </button>
        </div>
      </form>
      <p class="footnote">
        <a href="/api/docs">API reference</a>
      </p>
    </main>
  );
}

const root = document.getElementById("app");
if (root) render(<App />, root);
