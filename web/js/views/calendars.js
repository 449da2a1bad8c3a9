// /settings/calendars: connecting Google or Microsoft calendars (OAuth at the provider, which sends
// the browser back here with `?connected=<provider>` or `?error=<code>`), each connection's sync
// (pause, resume, sync now, disconnect), and the private ICS feed (its URL is shown once, when made).
import { api } from '../core/api.js';
import { append, busy, clear, h, toast } from '../core/dom.js';
import { fmt, t } from '../core/i18n.js';
import { problem } from './auth.js';

const CALLBACK_ERRORS = new Set([
  'invalid_state', 'state_expired', 'authorization_denied', 'authorization_failed', 'provider_disabled',
  'provider_not_found', 'unavailable',
]);

function providerName(provider) {
  return t(`calendars.provider.${provider}`);
}

/** What the OAuth callback said, from the address it sent the browser to. */
function callbackNotice(query) {
  if (query.connected) {
    return h('p', { id: 'calendar-notice', class: 'notice ok', role: 'status' },
      t('calendars.connected', { provider: providerName(query.connected) }));
  }
  if (query.error) {
    const key = CALLBACK_ERRORS.has(query.error) ? `calendars.error.${query.error}` : 'calendars.error.other';
    return h('p', { id: 'calendar-notice', class: 'form-error', role: 'alert' }, t(key));
  }
  return null;
}

function statusChip(connection) {
  return h('span', { class: `chip calendar-${connection.sync_status}` }, t(`calendars.status.${connection.sync_status}`));
}

function connectionRow(connection, reload) {
  const item = h('li', { class: 'card inset stack calendar-connection', dataset: { id: String(connection.id) } });
  const act = (work, done) => async () => {
    await busy(item, async () => {
      try {
        await work();
        if (done) toast(done);
        await reload();
      } catch (error) {
        toast(problem(error), { kind: 'error' });
      }
    });
  };
  const path = `/api/calendars/connections/${connection.id}`;
  const pause = h('button', {
    type: 'button', dataset: { action: connection.sync_enabled ? 'pause' : 'resume' },
    disabled: !connection.is_active,
    onclick: act(() => api(path, { method: 'PATCH', body: { sync_enabled: !connection.sync_enabled } })),
  }, t(connection.sync_enabled ? 'calendars.pause' : 'calendars.resume'));
  const syncNow = h('button', {
    type: 'button', dataset: { action: 'sync' }, disabled: !connection.is_active || !connection.sync_enabled,
    onclick: act(() => api(`${path}/sync`, { method: 'POST' }), t('calendars.sync_queued')),
  }, t('calendars.sync_now'));
  const actions = h('div', { class: 'row' });
  const disconnect = h('button', {
    type: 'button', class: 'danger', dataset: { action: 'disconnect' },
    onclick: () => {
      // Asked first, in the page: the tokens are deleted and the provider is told to drop the grant.
      const sure = h('button', {
        type: 'button', class: 'danger', dataset: { action: 'disconnect-confirm' },
        onclick: act(() => api(path, { method: 'DELETE' }), t('calendars.disconnected')),
      }, t('calendars.disconnect_confirm'));
      const keep = h('button', { type: 'button', onclick: () => { clear(actions, pause, syncNow, disconnect); disconnect.focus(); } }, t('cancel'));
      clear(actions, h('span', {}, t('calendars.disconnect_question')), sure, keep);
      sure.focus();
    },
  }, t('calendars.disconnect'));
  actions.append(pause, syncNow, disconnect);
  const lastSync = connection.last_sync ? fmt.dateTime(connection.last_sync) : t('calendars.never_synced');
  append(item, [
    h('div', { class: 'row' },
      h('strong', {}, providerName(connection.provider)),
      h('span', { class: 'calendar-account' }, connection.external_account_email),
      statusChip(connection)),
    h('p', { class: 'hint' }, t('calendars.last_sync', { when: lastSync }),
      connection.retry_at ? ` · ${t('calendars.retry_at', { when: fmt.dateTime(connection.retry_at) })}` : ''),
    connection.sync_detail ? h('p', { class: 'hint' }, connection.sync_detail) : null,
    actions]);
  return item;
}

function providerRow(provider) {
  const connect = h('button', {
    type: 'button', class: 'primary', dataset: { connect: provider.provider }, disabled: !provider.enabled,
    onclick: async () => {
      connect.disabled = true;
      try {
        const started = await api(`/api/calendars/oauth/${provider.provider}/authorize`, { method: 'POST' });
        window.location.assign(started.authorization_url); // consent at the provider, then back here
      } catch (error) {
        connect.disabled = false;
        toast(problem(error), { kind: 'error' });
      }
    },
  }, t('calendars.connect'));
  return h('li', { class: 'row calendar-provider', dataset: { provider: provider.provider } },
    h('strong', {}, providerName(provider.provider)),
    h('span', { class: `chip ${provider.enabled ? 'calendar-ok' : ''}` }, t(provider.enabled ? 'calendars.enabled' : 'calendars.disabled')),
    connect);
}

function feedSection() {
  const box = h('div', { class: 'stack', id: 'calendar-feed' });
  const draw = (feed, url = null) => {
    const rotate = h('button', {
      type: 'button', class: url || !feed.active ? 'primary' : '', id: 'feed-rotate',
      onclick: () => busy(box, async () => {
        try {
          const made = await api('/api/calendars/feed/rotate', { method: 'POST' });
          draw(made, made.url);
          document.getElementById('feed-url')?.focus();
        } catch (error) {
          toast(problem(error), { kind: 'error' });
        }
      }),
    }, t(feed.active ? 'calendars.feed_rotate' : 'calendars.feed_create'));
    let shown = null;
    if (url) {
      const field = h('input', { id: 'feed-url', type: 'text', readonly: true, value: url, 'aria-describedby': 'feed-once', onfocus: (event) => event.target.select() });
      const copy = h('button', {
        type: 'button', id: 'feed-copy',
        onclick: async () => {
          field.select();
          try {
            await navigator.clipboard.writeText(url);
          } catch {
            document.execCommand('copy');
          }
          toast(t('calendars.feed_copied'));
        },
      }, t('calendars.feed_copy'));
      shown = h('div', { class: 'stack' },
        h('label', { for: 'feed-url' }, t('calendars.feed_url')),
        h('div', { class: 'row' }, field, copy),
        h('p', { id: 'feed-once', class: 'hint' }, t('calendars.feed_once')));
    }
    const status = feed.active
      ? t('calendars.feed_active', { when: feed.created_at ? fmt.dateTime(feed.created_at) : '' })
      : t('calendars.feed_none');
    clear(box,
      h('p', {}, t('calendars.feed_text')),
      h('p', { class: 'hint' }, t('calendars.feed_howto')),
      h('p', { id: 'feed-status' }, status),
      shown,
      feed.active && !url ? h('p', { class: 'hint' }, t('calendars.feed_rotate_text')) : null,
      h('div', { class: 'row' }, rotate));
  };
  api('/api/calendars/feed').then((feed) => draw(feed)).catch((error) => {
    clear(box, h('p', { class: 'form-error', role: 'alert' }, problem(error)));
  });
  return box;
}

export function calendarsView({ main, query, isCurrent }) {
  const notice = callbackNotice(query);
  if (notice) history.replaceState(null, '', '/settings/calendars'); // a reload does not repeat it
  const providers = h('ul', { class: 'plain stack', id: 'calendar-providers' }, h('li', {}, t('loading')));
  const connections = h('ul', { class: 'plain stack', id: 'calendar-connections', 'aria-live': 'polite' }, h('li', {}, t('loading')));

  async function reload() {
    try {
      const [offered, connected] = await Promise.all([
        api('/api/calendars/providers'),
        api('/api/calendars/connections', { query: { limit: 100 } }),
      ]);
      if (!isCurrent()) return;
      clear(providers, ...offered.map(providerRow));
      clear(connections, ...(connected.items.length
        ? connected.items.map((item) => connectionRow(item, reload))
        : [h('li', { class: 'hint', id: 'no-connections' }, t('calendars.none'))]));
    } catch (error) {
      clear(connections, h('li', { class: 'form-error', role: 'alert' }, problem(error)));
    }
  }

  main.append(h('section', { class: 'page narrow card stack' },
    h('p', {}, h('a', { href: '/settings' }, t('calendars.back'))),
    h('h1', {}, t('calendars.title')),
    notice,
    h('p', {}, t('calendars.intro')),
    h('h2', {}, t('calendars.providers')),
    providers,
    h('h2', {}, t('calendars.connections')),
    connections,
    h('h2', {}, t('calendars.feed')),
    feedSection()));
  reload();
}
