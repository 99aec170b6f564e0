import { useEffect, useState } from "preact/hooks";
import { authenticate, demoPeople, signInAsDemo } from "../api/session";

// Sign in and sign up, with the API's own rules checked inline before the request is sent.

type Mode = "login" | "register";
type Errors = Partial<Record<"username" | "password" | "displayName" | "form", string>>;

function validate(mode: Mode, username: string, password: string, displayName: string): Errors {
  const errors: Errors = {};
  if (mode === "register") {
    if (!/^[A-Za-z0-9_.-]{3,32}$/.test(username)) errors.username = "3 to 32 letters, digits, _ . or -";
    if ([...password].length < 8) errors.password = "At least 8 characters";
    else if ([...password].length > 128) errors.password = "At most 128 characters";
    if ([...displayName].length > 64) errors.displayName = "At most 64 characters";
  } else {
    if (!username) errors.username = "Enter your username";
    if (!password) errors.password = "Enter your password";
  }
  return errors;
}

export function AuthScreen() {
  const [mode, setMode] = useState<Mode>("login");
  const [username, setUsername] = useState("");
  const [password, setPassword] = useState("");
  const [displayName, setDisplayName] = useState("");
  const [errors, setErrors] = useState<Errors>({});
  const [touched, setTouched] = useState(false);
  const [busy, setBusy] = useState(false);

  const shown = touched ? { ...validate(mode, username, password, displayName), form: errors.form } : errors;

  async function submit(event: Event) {
    event.preventDefault();
    setTouched(true);
    const found = validate(mode, username, password, displayName);
    setErrors(found);
    if (Object.keys(found).length) return;
    setBusy(true);
    try {
      await authenticate(mode, {
        username,
        password,
        ...(mode === "register" && displayName ? { displayName } : {}),
      });
    } catch (error) {
      setErrors({ form: error instanceof Error ? error.message : String(error) });
    } finally {
      setBusy(false);
    }
  }

  const field = (name: "username" | "password" | "displayName") =>
    shown[name] ? { "aria-invalid": true, "aria-describedby": `${name}-error` } : {};

  return (
    <main class="auth">
      <div class="auth-card">
        <h1 class="brand">Hubbub</h1>
        <p class="lead">Real-time chat for your team, at the edge.</p>
        <div class="tabs" role="tablist" aria-label="Sign in or create an account">
          {(["login", "register"] as const).map((tab) => (
            <button
              key={tab}
              type="button"
              role="tab"
              aria-selected={mode === tab}
              class={mode === tab ? "tab active" : "tab"}
              onClick={() => {
                setMode(tab);
                setErrors({});
                setTouched(false);
              }}
            >
              {tab === "login" ? "Sign in" : "Create account"}
            </button>
          ))}
        </div>
        <form onSubmit={submit} noValidate>
          <label for="username">Username</label>
          <input
            id="username"
            name="username"
            autocomplete="username"
            autocapitalize="none"
            value={username}
            onInput={(event) => setUsername(event.currentTarget.value)}
            {...field("username")}
          />
          {shown.username && (
            <p class="field-error" id="username-error">
              {shown.username}
            </p>
          )}
          {mode === "register" && (
            <>
              <label for="displayName">Display name (optional)</label>
              <input
                id="displayName"
                name="displayName"
                autocomplete="nickname"
                value={displayName}
                onInput={(event) => setDisplayName(event.currentTarget.value)}
                {...field("displayName")}
              />
              {shown.displayName && (
                <p class="field-error" id="displayName-error">
                  {shown.displayName}
                </p>
              )}
            </>
          )}
          <label for="password">Password</label>
          <input
            id="password"
            name="password"
            type="password"
            autocomplete={mode === "login" ? "current-password" : "new-password"}
            value={password}
            onInput={(event) => setPassword(event.currentTarget.value)}
            {...field("password")}
          />
          {shown.password && (
            <p class="field-error" id="password-error">
              {shown.password}
            </p>
          )}
          {shown.form && (
            <p class="form-error" role="alert">
              {shown.form}
            </p>
          )}
          <button type="submit" class="primary wide" disabled={busy}>
            {busy ? "Please wait…" : mode === "login" ? "Sign in" : "Create account"}
          </button>
        </form>
        <DemoPeople />
        <p class="footnote">
          <a href="/api/docs">API reference</a>
        </p>
      </div>
    </main>
  );
}

const DEMO_NAMES = ["alice", "bob", "carol"] as const;
type DemoName = (typeof DEMO_NAMES)[number];
const isDemoName = (name: string): name is DemoName => DEMO_NAMES.some((each) => each === name);

/**
 * "Try it without signing up" (local demos, after `npm run seed`): one click signs in as a seeded
 * person, so a newcomer can open two windows and chat with themself at once. The server offers
 * nobody unless its DEMO_USERS setting is on, and then this shows nothing.
 */
function DemoPeople() {
  const [people, setPeople] = useState<{ username: DemoName; displayName: string }[]>([]);
  const [error, setError] = useState<string | null>(null);
  useEffect(() => {
    demoPeople()
      .then((found) =>
        setPeople(
          found.flatMap((person) =>
            isDemoName(person.username) ? [{ ...person, username: person.username }] : [],
          ),
        ),
      )
      .catch(() => setPeople([]));
  }, []);
  if (people.length === 0) return null;
  return (
    <section class="demo" aria-labelledby="demo-title">
      <h2 id="demo-title">Try it without signing up</h2>
      <p class="muted">Open a second window as someone else to chat with yourself.</p>
      <div class="demo-people">
        {people.map((person) => (
          <button
            key={person.username}
            type="button"
            onClick={() =>
              signInAsDemo(person.username).catch((failure) =>
                setError(failure instanceof Error ? failure.message : String(failure)),
              )
            }
          >
            Continue as {person.displayName.split(" ")[0]}
          </button>
        ))}
      </div>
      {error && (
        <p class="form-error" role="alert">
          {error}
        </p>
      )}
    </section>
  );
}
