// What a new user sees: what the panel is for, how to use it, and, without a token, how to set one.
import type { Translate } from '../i18n';
import { Icon } from './Icon';

export function EmptyState({ t, hasToken, setToken }: { t: Translate; hasToken: boolean; setToken(): void }) {
  return (
    <section class="empty-state" aria-labelledby="empty-title">
      <div class="empty-icon"><Icon name="comment-discussion" /></div>
      <h2 id="empty-title">{t('emptyTitle')}</h2>
      <p>{t('emptyBody')}</p>
      {!hasToken && (
        <div class="token-callout">
          <h3><Icon name="key" /><span>{t('noTokenTitle')}</span></h3>
          <p>{t('noTokenBody')}</p>
          <button type="button" class="primary-button text-button" onClick={setToken}>
            <Icon name="key" />
            <span>{t('setToken')}</span>
          </button>
        </div>
      )}
      <ul class="empty-hints">
        <li><Icon name="info" /><span>{t('emptyHintSelection')}</span></li>
        <li><Icon name="info" /><span>{t('emptyHintKeys')}</span></li>
      </ul>
    </section>
  );
}
