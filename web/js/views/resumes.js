// Resumes: a candidate's own list (and a new one), and one resume: its fields, the 履歴書
// profile and the sections as editable lists, the photo, the three PDFs, the public link, and
// soft delete with restore. The owner and their agency's staff edit it; an employer to whom it
// was proposed reads it (the API answers 403 to a change; the page offers none).
import { isAgencyStaff, me } from '../core/account.js';
import { api, download } from '../core/api.js';
import { busy, clear, h, toast } from '../core/dom.js';
import { fmt, t } from '../core/i18n.js';
import { candidate, nameOf } from '../core/people.js';
import { session } from '../core/session.js';
import { problem } from './auth.js';
import { chip, missing, newResumeForm, opener } from './candidates.js';
import { SECTIONS, sectionEditor } from './resume_sections.js';

const STATUSES = ['draft', 'active', 'archived'];
const VISIBILITIES = ['private', 'company', 'public'];
const DOCUMENTS = [['rirekisho', 'resume.pdf_rirekisho'], ['shokumu', 'resume.pdf_shokumu'], ['resume', 'resume.pdf_cv']];
// [field, input type, attributes]
const PROFILE = [
  ['name_kana', 'text', { maxlength: 200 }],
  ['birth_date', 'date', { min: '1900-01-01', max: '2099-12-31' }],
  ['gender', 'text', { maxlength: 200 }],
  ['postal_code', 'text', { maxlength: 8, pattern: '\\d{3}-?\\d{4}', inputmode: 'numeric', placeholder: '100-0001' }],
  ['address', 'text', { maxlength: 200 }],
  ['address_kana', 'text', { maxlength: 200 }],
  ['phone', 'tel', { maxlength: 20, pattern: '[0-9+() \\-]{6,20}' }],
  ['email', 'email', { maxlength: 200 }],
  ['contact_address', 'text', { maxlength: 200 }],
  ['motivation', 'textarea', { maxlength: 4000, rows: 4 }],
  ['wishes', 'textarea', { maxlength: 4000, rows: 3 }],
];

export async function resumesView({ main }) {
  const page = h('section', { class: 'page' });
  main.append(page);
  const answer = await api('/api/resumes', { query: { user_id: session.user?.id, limit: 100 } }).catch(() => ({ items: [] }));
  const [button, box] = opener(t('resume.new'), 'resume-new-open', (close) => newResumeForm({ onClose: close }));
  button.classList.add('primary');
  clear(page,
    h('div', { class: 'page-head' }, h('h1', {}, t('resume.mine')), button), box,
    h('div', { class: 'card' }, answer.items.length
      ? h('ul', { class: 'rows people-list' }, answer.items.map((r) => h('li', { class: 'person-row', dataset: { resume: r.id } },
        h('a', { href: `/resumes/${r.id}`, class: 'what' }, r.title),
        h('span', { class: 'chips' }, chip('resume_status', r.status), ' ', chip('visibility', r.visibility)),
        h('span', { class: 'contact' }, t('resume.updated', { when: fmt.date(r.updated_at) })))))
      : h('p', { class: 'empty' }, t('resume.none'))));
}

function field(id, label, input, hint) {
  input.id = id;
  return h('div', { class: `field${input.tagName === 'TEXTAREA' ? ' wide' : ''}` }, h('label', { for: id }, label), input,
    hint ? h('p', { class: 'hint' }, hint) : null);
}

function optional(value) {
  const text = String(value ?? '').trim();
  return text === '' ? null : text;
}

/** The photo box: the picture (fetched with the token), upload and remove. */
function photoBox(resume, canEdit, onChange) {
  const img = h('img', { class: 'photo', alt: t('resume.photo_alt'), hidden: true });
  const none = h('p', { class: 'photo-none' }, t('resume.photo_none'));
  const error = h('p', { class: 'form-error', role: 'alert', hidden: true });
  let href = null;
  const show = async () => {
    if (href) URL.revokeObjectURL(href);
    href = null;
    img.hidden = true;
    none.hidden = false;
    if (!resume.photo) return;
    try {
      href = URL.createObjectURL(await api(`/api/resumes/${resume.id}/photo`, { blob: true }));
      img.src = href;
      img.hidden = false;
      none.hidden = true;
    } catch {
      // no picture to show
    }
  };
  const upload = h('input', { type: 'file', id: 'resume-photo', accept: 'image/jpeg,image/png', class: 'sr-only' });
  upload.addEventListener('change', async () => {
    if (!upload.files.length) return;
    error.hidden = true;
    const form = new FormData();
    form.append('file', upload.files[0]);
    try {
      Object.assign(resume, await api(`/api/resumes/${resume.id}/photo`, { method: 'PUT', form }));
      toast(t('resume.photo_saved'));
      onChange();
      await show();
    } catch (failure) {
      error.textContent = failure.status === 415 ? t('error.not_an_image') : problem(failure);
      error.hidden = false;
    }
    upload.value = '';
  });
  const remove = h('button', {
    type: 'button', class: 'small',
    onclick: async () => {
      try {
        await api(`/api/resumes/${resume.id}/photo`, { method: 'DELETE' });
        resume.photo = null;
        await show();
      } catch (failure) {
        error.textContent = problem(failure);
        error.hidden = false;
      }
    },
  }, t('resume.photo_remove'));
  show();
  return h('div', { class: 'photo-box' },
    h('div', { class: 'photo-frame' }, img, none),
    canEdit ? h('div', { class: 'stack' },
      h('label', { for: 'resume-photo', class: 'button small', tabindex: '0',
        onkeydown: (event) => { if (event.key === 'Enter' || event.key === ' ') { event.preventDefault(); upload.click(); } } },
      t('resume.photo_upload')), upload, remove, h('p', { class: 'hint' }, t('resume.photo_hint'))) : null,
    error);
}

/** The public link: shown and copyable while public; make public / private. */
function sharingBox(resume, { canEdit, owner, onChange }) {
  const box = h('section', { class: 'card sharing', 'aria-labelledby': 'resume-sharing' });
  const draw = (focusId) => {
    const error = h('p', { class: 'form-error', role: 'alert', hidden: true });
    const set = async (visibility, button) => {
      try {
        Object.assign(resume, await busy(box, () => api(`/api/resumes/${resume.id}`, { method: 'PATCH', body: { visibility } })));
        toast(visibility === 'public' ? t('resume.now_public') : t('resume.now_private'));
        onChange();
        draw(visibility === 'public' ? 'resume-link' : 'resume-make-public');
      } catch (failure) {
        error.textContent = problem(failure);
        error.hidden = false;
        button.focus();
      }
    };
    const link = resume.public_url ? h('input', { id: 'resume-link', readonly: true, value: resume.public_url, onfocus: (e) => e.target.select() }) : null;
    const copy = link ? h('button', {
      type: 'button', id: 'resume-copy',
      onclick: async () => {
        try {
          await navigator.clipboard.writeText(resume.public_url);
        } catch {
          link.select();
          document.execCommand('copy');
        }
        toast(t('resume.copied'));
      },
    }, t('resume.copy')) : null;
    // Staff who make it private would lose it themselves: they take it back to the company.
    const back = owner ? 'private' : 'company';
    clear(box,
      h('h2', { id: 'resume-sharing' }, t('resume.sharing')),
      h('p', {}, t(`visibility_text.${resume.visibility}`)),
      link ? h('div', { class: 'field' }, h('label', { for: 'resume-link' }, t('resume.public_link')),
        h('div', { class: 'row link-row' }, link, copy),
        h('p', { class: 'hint' }, t('resume.counts', { views: resume.view_count, downloads: resume.download_count }))) : null,
      canEdit ? h('div', { class: 'row' }, resume.visibility === 'public'
        ? h('button', { type: 'button', id: 'resume-make-private', onclick: (e) => set(back, e.currentTarget) }, t(owner ? 'resume.make_private' : 'resume.make_company'))
        : h('button', { type: 'button', id: 'resume-make-public', onclick: (e) => set('public', e.currentTarget) }, t('resume.make_public'))) : null,
      error);
    if (focusId) box.querySelector(`#${focusId}`)?.focus();
  };
  draw();
  return box;
}

function restorePanel(id, main) {
  const error = h('p', { class: 'form-error', role: 'alert', hidden: true });
  const restore = h('button', {
    type: 'button', class: 'primary', id: 'resume-restore',
    onclick: async () => {
      try {
        await api(`/api/resumes/${id}/restore`, { method: 'POST' });
        toast(t('resume.restored'));
        clear(main);
        await resumeView({ main, params: { id } });
      } catch (failure) {
        error.textContent = failure.status === 404 ? t('record.missing') : problem(failure);
        error.hidden = false;
      }
    },
  }, t('resume.restore'));
  return h('section', { class: 'page narrow card', id: 'resume-deleted' },
    h('h1', {}, t('resume.deleted_title')), h('p', {}, t('resume.deleted_text')), h('div', { class: 'row' }, restore), error);
}

export async function resumeView({ main, params }) {
  const id = Number(params.id);
  let resume;
  try {
    resume = await api(`/api/resumes/${id}`);
  } catch (failure) {
    if (failure.status === 404) {
      // Perhaps deleted: its owner (or their agency) may bring it back from here.
      missing(main, t('resume.one'));
      main.querySelector('section').append(h('p', {}, h('button', {
        type: 'button', id: 'resume-restore',
        onclick: async (event) => {
          try {
            await api(`/api/resumes/${id}/restore`, { method: 'POST' });
            clear(main);
            await resumeView({ main, params: { id } });
          } catch {
            event.target.disabled = true;
          }
        },
      }, t('resume.try_restore'))));
    } else missing(main, t('resume.one'));
    return;
  }
  const owner = resume.user_id === session.user?.id;
  const staff = await isAgencyStaff();
  const account = await me();
  const canEdit = owner || (staff && (account?.roles?.includes('system_admin') || account?.company?.id === resume.company_id));
  const person = owner ? null : await candidate(resume.user_id);
  const whose = owner ? session.user : person;
  const heading = h('h1', {}, resume.title);
  const statusChips = h('span', { class: 'chips' });
  const drawChips = () => clear(statusChips, chip('resume_status', resume.status), ' ', chip('visibility', resume.visibility));
  drawChips();

  // Basics
  const title = h('input', { name: 'title', required: true, maxlength: 255, value: resume.title });
  const status = h('select', { name: 'status' }, STATUSES.map((s) => h('option', { value: s, selected: resume.status === s }, t(`resume_status.${s}`))));
  const visibility = h('select', { name: 'visibility' }, VISIBILITIES.map((v) => h('option', { value: v, selected: resume.visibility === v }, t(`visibility.${v}`))));
  const summary = h('textarea', { name: 'summary', rows: 4, maxlength: 10_000, value: resume.summary || '' });

  // The 履歴書 profile
  const profile = resume.profile || {};
  const profileInputs = Object.fromEntries(PROFILE.map(([name, type, attrs]) => [name, type === 'textarea'
    ? h('textarea', { name, ...attrs, value: profile[name] || '' })
    : h('input', { name, type, ...attrs, value: profile[name] || '' })]));
  const style = (value) => h('label', { class: 'inline' },
    h('input', { type: 'radio', name: 'date_style', value, checked: (profile.date_style || 'seireki') === value }), ` ${t(`resume.style_${value}`)}`);

  const editors = Object.keys(SECTIONS).map((name) => [name, sectionEditor(name, resume[name], { readOnly: !canEdit })]);
  const error = h('p', { class: 'form-error', role: 'alert', hidden: true, id: 'resume-error' });
  const save = h('button', { type: 'submit', class: 'primary', id: 'resume-save' }, t('resume.save'));
  const saved = h('p', { class: 'hint', role: 'status', id: 'resume-saved' });
  // The form is long: a second save button at the top of the page submits it too.
  const topSave = canEdit ? h('button', { type: 'submit', class: 'primary small', id: 'resume-save-top' }, t('resume.save')) : null;
  topSave?.setAttribute('form', 'resume-form');

  const form = h('form', { class: 'stack resume-form', id: 'resume-form', novalidate: false },
    h('fieldset', { class: 'plain', disabled: !canEdit },
      h('section', { class: 'card stack', 'aria-labelledby': 'resume-basics' },
        h('h2', { id: 'resume-basics' }, t('resume.basics')),
        h('div', { class: 'fields' },
          field('resume-title', t('resume.title_field'), title),
          field('resume-status', t('resume.status'), status, t('resume.status_hint')),
          field('resume-visibility', t('resume.visibility'), visibility),
          field('resume-summary', t('resume.summary'), summary))),
      h('section', { class: 'card stack', 'aria-labelledby': 'resume-profile' },
        h('h2', { id: 'resume-profile' }, t('resume.profile')),
        h('div', { class: 'profile-grid' },
          photoBox(resume, canEdit, drawChips),
          h('div', { class: 'fields' }, PROFILE.map(([name]) => field(`profile-${name}`, t(`profile.${name}`), profileInputs[name])))),
        h('fieldset', { class: 'choice' }, h('legend', {}, t('resume.date_style')), h('div', { class: 'row' }, style('seireki'), style('wareki')))),
      h('section', { class: 'card stack', 'aria-labelledby': 'resume-sections' },
        h('h2', { id: 'resume-sections' }, t('resume.sections')),
        editors.map(([, editor]) => editor.element))),
    canEdit ? h('div', { class: 'save-bar row' }, save, saved, error) : null);

  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    error.hidden = true;
    saved.textContent = '';
    const body = {
      title: title.value.trim(),
      status: status.value,
      visibility: visibility.value,
      summary: optional(summary.value),
      profile: {
        ...Object.fromEntries(PROFILE.map(([name]) => [name, optional(profileInputs[name].value)])),
        date_style: form.querySelector('input[name=date_style]:checked')?.value || 'seireki',
      },
      ...Object.fromEntries(editors.map(([name, editor]) => [name, editor.read()])),
    };
    try {
      Object.assign(resume, await busy(form, () => api(`/api/resumes/${id}`, { method: 'PATCH', body })));
      heading.textContent = resume.title;
      drawChips();
      redrawSharing();
      saved.textContent = t('resume.saved', { when: fmt.time(resume.updated_at) });
      toast(t('resume.saved_toast'));
    } catch (failure) {
      error.textContent = problem(failure);
      error.hidden = false;
      error.focus?.();
    }
  });

  const sharingSlot = h('div');
  const redrawSharing = () => clear(sharingSlot, sharingBox(resume, {
    canEdit, owner, onChange: () => { visibility.value = resume.visibility; drawChips(); },
  }));
  redrawSharing();

  const downloads = h('div', { class: 'row downloads', role: 'group', 'aria-label': t('resume.downloads') },
    DOCUMENTS.map(([kind, label]) => h('button', {
      type: 'button', dataset: { document: kind },
      onclick: (event) => {
        const button = event.currentTarget;
        button.disabled = true;
        download(`/api/resumes/${id}/${kind}.pdf`)
          .then(() => { resume.download_count += 1; })
          .catch((failure) => toast(problem(failure), { kind: 'error' }))
          .finally(() => { button.disabled = false; });
      },
    }, t(label))));

  const confirmBox = h('div');
  const remove = canEdit ? h('button', {
    type: 'button', class: 'danger', id: 'resume-delete',
    onclick: () => {
      clear(confirmBox, h('div', { class: 'card inset stack', role: 'group', 'aria-labelledby': 'resume-delete-q' },
        h('p', { id: 'resume-delete-q' }, t('resume.delete_question')),
        h('div', { class: 'row' },
          h('button', {
            type: 'button', class: 'danger', id: 'resume-delete-confirm',
            onclick: async (event) => {
              try {
                event.currentTarget.disabled = true;
                await api(`/api/resumes/${id}`, { method: 'DELETE' });
                toast(t('resume.deleted_toast'));
                clear(main, restorePanel(id, main));
                main.querySelector('#resume-restore').focus();
              } catch (failure) {
                toast(problem(failure), { kind: 'error' });
              }
            },
          }, t('resume.delete_confirm')),
          h('button', { type: 'button', onclick: () => { clear(confirmBox); remove.focus(); } }, t('interview.keep')))));
      confirmBox.querySelector('#resume-delete-confirm').focus();
    },
  }, t('resume.delete')) : null;

  const back = owner ? h('a', { href: '/resumes' }, t('resume.mine'))
    : h('a', { href: `/candidates/${resume.user_id}` }, whose ? `${nameOf(resume.user_id)}` : t('candidates.title'));
  main.append(h('article', { class: 'page resume' },
    h('p', { class: 'crumbs' }, back),
    h('div', { class: 'page-head' }, heading, h('div', { class: 'row' }, statusChips, topSave)),
    canEdit ? null : h('p', { class: 'hint', role: 'note' }, t('resume.read_only')),
    h('section', { class: 'card', 'aria-labelledby': 'resume-docs' },
      h('h2', { id: 'resume-docs' }, t('resume.downloads')), downloads,
      h('p', { class: 'hint' }, t('resume.downloads_hint'))),
    sharingSlot,
    form,
    remove ? h('section', { class: 'card danger-zone', 'aria-labelledby': 'resume-danger' },
      h('h2', { id: 'resume-danger' }, t('resume.delete_title')), h('p', { class: 'hint' }, t('resume.delete_hint')),
      h('div', { class: 'row' }, remove), confirmBox) : null));
}
