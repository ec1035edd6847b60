// The pages' shared start-up: the page's words in the chosen language, the language button, the
// personal link's token (taken from the address), and the person it belongs to.
import { api, forgetToken, takeToken } from './api.js';
import { applyStaticText, bindLangButton } from './i18n.js';

/**
 * Answers `{ me, failure }`: `me` is the link's person, null without a link; `failure` the API's
 * refusal (a replaced link is forgotten, so the next visit asks for the new one).
 */
export async function startPage() {
  applyStaticText();
  bindLangButton(document.getElementById('lang'));
  if (!takeToken()) return { me: null, failure: null };
  try {
    return { me: await api('GET', '/me'), failure: null };
  } catch (error) {
    if (error.code === 'UNAUTHENTICATED') forgetToken();
    return { me: null, failure: error };
  }
}
