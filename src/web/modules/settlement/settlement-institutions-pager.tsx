import { Button, Space } from 'antd';
import { useI18n } from '../../i18n/i18n.tsx';
import { nextPage, type Pages, previousPage } from './settlement-institutions-form.ts';

type PagerProps = { pages: Pages; next: string | null; onChange: (p: Pages) => void };

/** Cursor paging: the server answers a page and the cursor of the next one. */
export function Pager({ pages, next, onChange }: PagerProps) {
  const { t } = useI18n();
  return (
    <Space style={{ marginTop: 12 }}>
      <Button
        size="small"
        data-testid="page-previous"
        disabled={pages.cursors.length === 0}
        onClick={() => onChange(previousPage(pages))}
      >
        {t('settlementRef.previous')}
      </Button>
      <span data-testid="page-number">{pages.cursors.length + 1}</span>
      <Button
        size="small"
        data-testid="page-next"
        disabled={next === null}
        onClick={() => next !== null && onChange(nextPage(pages, next))}
      >
        {t('settlementRef.next')}
      </Button>
    </Space>
  );
}
