// A resume's sections as editable lists: one fieldset a row, rows added and removed with the
// keyboard, each read back as the typed struct the API takes (empty entries left out, so an
// optional field is never sent as "").
import { h } from '../core/dom.js';
import { t } from '../core/i18n.js';

const OUTCOMES = ['graduated', 'completed', 'withdrawn', 'enrolled', 'expected'];

// [field, kind, required]; kinds: text, month, number, textarea, lines (one item a line), outcome.
export const SECTIONS = {
  education: [['school', 'text', true], ['department', 'text'], ['degree', 'text'], ['start', 'month', true],
    ['end', 'month'], ['outcome', 'outcome']],
  experience: [['company', 'text', true], ['title', 'text'], ['department', 'text'], ['employment_type', 'text'],
    ['start', 'month', true], ['end', 'month'], ['leaving_reason', 'text'], ['description', 'textarea'],
    ['achievements', 'lines']],
  skills: [['name', 'text', true], ['level', 'text'], ['years', 'number']],
  certifications: [['name', 'text', true], ['obtained', 'month'], ['issuer', 'text']],
  languages: [['language', 'text', true], ['level', 'text']],
  projects: [['name', 'text', true], ['role', 'text'], ['start', 'month'], ['end', 'month'],
    ['description', 'textarea'], ['technologies', 'lines']],
};

let serial = 0;

function control(id, kind, required, value) {
  if (kind === 'textarea' || kind === 'lines') {
    const text = kind === 'lines' ? (value || []).join('\n') : (value ?? '');
    return h('textarea', { id, rows: kind === 'lines' ? 3 : 3, maxlength: kind === 'lines' ? 10_000 : 4000, value: text });
  }
  if (kind === 'outcome') {
    return h('select', { id }, OUTCOMES.map((o) => h('option', { value: o, selected: (value || 'graduated') === o }, t(`outcome.${o}`))));
  }
  const attrs = { id, required, value: value ?? '' };
  if (kind === 'month') Object.assign(attrs, { type: 'month', min: '1900-01', max: '2099-12', placeholder: 'YYYY-MM' });
  else if (kind === 'number') Object.assign(attrs, { type: 'number', min: 0, max: 60, step: 1, inputmode: 'numeric' });
  else Object.assign(attrs, { type: 'text', maxlength: 200 });
  return h('input', attrs);
}

function readControl(el, kind) {
  const raw = el.value;
  if (kind === 'lines') return raw.split('\n').map((line) => line.trim()).filter(Boolean);
  if (kind === 'number') return raw === '' ? null : Number(raw);
  if (kind === 'outcome') return raw;
  const text = raw.trim();
  return text === '' ? null : text;
}

/** The editor of one section: `{element, read()}`. */
export function sectionEditor(name, rows, { readOnly = false } = {}) {
  const fields = SECTIONS[name];
  const list = h('div', { class: 'section-rows' });
  const empty = h('p', { class: 'empty' }, t('resume.no_rows'));

  function renumber() {
    const all = [...list.children];
    all.forEach((row, index) => {
      row.querySelector('legend').textContent = t('resume.row', { section: t(`resume.section.${name}`), n: index + 1 });
      const remove = row.querySelector('.remove-row');
      if (remove) remove.setAttribute('aria-label', t('resume.remove_row', { section: t(`resume.section.${name}`), n: index + 1 }));
    });
    empty.hidden = all.length > 0;
  }

  function addRow(value = {}, focus = false) {
    const key = `${name}-${++serial}`;
    const controls = fields.map(([field, kind, required]) => {
      const id = `${key}-${field}`;
      const el = control(id, kind, Boolean(required), value[field]);
      el.dataset.field = field;
      el.dataset.kind = kind;
      const hint = kind === 'lines' ? h('p', { class: 'hint', id: `${id}-hint` }, t('resume.lines_hint')) : null;
      if (hint) el.setAttribute('aria-describedby', hint.id);
      const wide = kind === 'textarea' || kind === 'lines';
      return h('div', { class: `field${wide ? ' wide' : ''}` },
        h('label', { for: id }, t(`resume.${name}.${field}`), required ? h('span', { class: 'req', 'aria-hidden': 'true' }, ' *') : null),
        el, hint);
    });
    const row = h('fieldset', { class: 'section-row', dataset: { row: key } },
      h('legend', {}),
      h('div', { class: 'fields' }, controls),
      readOnly ? null : h('div', { class: 'row' }, h('button', {
        type: 'button', class: 'small danger remove-row',
        onclick: () => {
          const next = row.nextElementSibling || row.previousElementSibling;
          row.remove();
          renumber();
          (next?.querySelector('input, select, textarea') || add).focus();
        },
      }, t('resume.remove'))));
    list.append(row);
    renumber();
    if (focus) row.querySelector('input, select, textarea')?.focus();
  }

  const add = h('button', { type: 'button', class: 'small add-row', onclick: () => addRow({}, true) },
    t('resume.add_row', { section: t(`resume.section.${name}`) }));
  for (const value of rows || []) addRow(value);
  renumber();
  const element = h('section', { class: 'resume-section', dataset: { section: name }, 'aria-labelledby': `section-${name}` },
    h('h3', { id: `section-${name}` }, t(`resume.section.${name}`)), empty, list, readOnly ? null : add);
  return {
    element,
    read() {
      return [...list.children].map((row) => {
        const item = {};
        for (const el of row.querySelectorAll('[data-field]')) {
          const value = readControl(el, el.dataset.kind);
          if (value === null || (Array.isArray(value) && !value.length && el.dataset.kind !== 'lines')) continue;
          item[el.dataset.field] = value;
        }
        return item;
      });
    },
  };
}
