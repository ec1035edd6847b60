// The desk's unit picker (issue 13): a coordinator or viewer of several units (区—街道—社区—小区—楼栋)
// chooses one, and the desk's sections show only what is in it and below it. The choice is kept in
// this browser, so a reload comes back to the same unit.
import { api } from './api.js';
import { addStrings, lang, t } from './i18n.js';
import { h } from './ui.js';

addStrings({
  'zh-CN': {
    unitPick: '当前单位',
    unitOf: '当前单位：{name}',
    unitRoleCoordinator: '协调员',
    unitRoleViewer: '只读',
    unitKind_district: '区',
    unitKind_street: '街道',
    unitKind_community: '社区',
    unitKind_estate: '小区',
    unitKind_building: '楼栋',
  },
  en: {
    unitPick: 'Unit',
    unitOf: 'Unit: {name}',
    unitRoleCoordinator: 'coordinator',
    unitRoleViewer: 'read only',
    unitKind_district: 'district',
    unitKind_street: 'street',
    unitKind_community: 'community',
    unitKind_estate: 'estate',
    unitKind_building: 'building',
  },
});

const UNIT_KEY = 'rota.desk.unit';

/**
 * The caller's units: `{ roles, units }` (the units they hold a role in, each with `role`; every
 * unit they can see). Null from a server without units (or when it cannot say), where the desk
 * shows everything as before.
 */
export async function loadUnits() {
  try {
    const { units, roles } = await api('GET', '/units');
    const byId = new Map(units.map((u) => [u.id, u]));
    return { units, roles: roles.filter((r) => byId.has(r.unitId)).map((r) => ({ ...byId.get(r.unitId), role: r.role })) };
  } catch {
    return null;
  }
}

/** The unit chosen last time in this browser, if the caller still holds a role in it; else their first. */
export function chosenUnit(roles) {
  const kept = Number(localStorage.getItem(UNIT_KEY));
  return roles.find((r) => r.id === kept) ?? roles.find((r) => r.role === 'coordinator') ?? roles[0] ?? null;
}

function keepUnit(id) {
  localStorage.setItem(UNIT_KEY, String(id));
}

/** The ids of a unit and every unit below it, from the `units` list (each with `parentId`). */
export function subtreeOf(units, id) {
  const children = new Map();
  for (const u of units) children.set(u.parentId, [...(children.get(u.parentId) ?? []), u.id]);
  const ids = new Set();
  const stack = [id];
  while (stack.length) {
    const next = stack.pop();
    if (ids.has(next)) continue;
    ids.add(next);
    stack.push(...(children.get(next) ?? []));
  }
  return ids;
}

const roleText = (role) => t(role === 'viewer' ? 'unitRoleViewer' : 'unitRoleCoordinator');
const unitLabel = (u) => `${u.name}（${t(`unitKind_${u.kind}`)}，${roleText(u.role)}）`;
const unitLabelEn = (u) => `${u.name} (${t(`unitKind_${u.kind}`)}, ${roleText(u.role)})`;

/**
 * `ctx.roles()` lists the units to choose from; `ctx.unit()` is the chosen one; `ctx.chooseUnit(id)`
 * redraws the desk for another. One unit: its name only; several: a list to choose from.
 */
export function unitsSection(ctx) {
  const section = h('div', { id: 'unit-pick', class: 'unit-pick' });
  const render = () => {
    const roles = ctx.roles();
    const unit = ctx.unit();
    const label = (u) => (lang() === 'en' ? unitLabelEn(u) : unitLabel(u));
    if (roles.length < 2) {
      section.replaceChildren(h('p', { class: 'unit-name' }, t('unitOf', { name: label(unit) })));
      return;
    }
    const select = h(
      'select',
      { id: 'unit-select', name: 'unit' },
      roles.map((u) => h('option', { value: String(u.id), selected: u.id === unit.id }, label(u))),
    );
    select.addEventListener('change', () => {
      keepUnit(Number(select.value));
      ctx.chooseUnit(Number(select.value));
    });
    section.replaceChildren(h('div', { class: 'filter' }, h('label', { for: 'unit-select' }, t('unitPick')), select));
  };
  return { section, render };
}
