// The pages' shared start-up: the page's words in the chosen language, the language button, the
// personal link's token (taken from the address), and the page's first call made with it.
import { apiBegun, forgetToken, takeToken } from './api.js';
import { applyStaticText, bindLangButton } from './i18n.js';

/**
 * Answers `{ answer, failure }`: `answer` is what `GET /api/v1<path>` answered for the link's
 * person (`/me`: the person), null without a link; `failure` the API's refusal (a replaced link is
 * forgotten, so the next visit asks for the new one). A call the page's inline script began for
 * the same path is taken over rather than made again.
 */
export async function startPage(path = '/me') {
  applyStaticText();
  bindLangButton(document.getElementById('lang'));
  if (!takeToken()) return { answer: null, failure: null };
  try {
    return { answer: await apiBegun(path), failure: null };
  } catch (error) {
    if (error.code === 'UNAUTHENTICATED') forgetToken();
    return { answer: null, failure: error };
  }
}
