// The personal page's entry: the one API call starts at once, while the page's other modules are
// still downloading (the page preloads them), so the next duty waits for one round trip less.
import { api, takeToken } from './api.js';

const first = takeToken() ? api('GET', '/me/overview') : null;
// Handled by the page once it has loaded (a refusal is shown there, in words).
first?.catch(() => {});
const { start } = await import('./me.js');
start(first);
