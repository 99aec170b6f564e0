import { render } from "preact";
import { App } from "./app";
import { registerServiceWorker } from "./notify/system";
import "./styles.css";

const root = document.getElementById("app");
if (root) render(<App />, root);

// Vite's dev server has no built /sw.js; the built app (npm run dev, production) registers it.
if (import.meta.env.PROD) registerServiceWorker();
