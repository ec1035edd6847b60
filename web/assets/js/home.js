// The front page: where to go with the link kept in this browser, or how to get one.
import { onLangChange, t } from './i18n.js';
import { startPage } from './page.js';
import { errorText, h } from './ui.js';

const where = document.getElementById('where');

function render() {
  if (failure) {
    where.replaceChildren(h('p', { class: 'warning' }, errorText(failure)));
  } else if (!person) {
    where.replaceChildren(h('h2', {}, t('noLinkTitle')), h('p', {}, t('noLinkText')));
  } else {
    where.replaceChildren(
      h('p', {}, t('hello', { name: person.name })),
      h(
        'div',
        { class: 'buttons' },
        h('a', { class: 'button primary', href: '/me' }, t('homeMe')),
        person.role === 'coordinator' ? h('a', { class: 'button secondary', href: '/desk' }, t('homeDesk')) : null,
      ),
    );
  }
}

const { answer: person, failure } = await startPage();
onLangChange(render);
render();
