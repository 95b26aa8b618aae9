import { Alert, Card, Col, Row, Skeleton, Statistic, Table, Typography } from 'antd';
import { useMemo } from 'react';
import type { City, SessionUser } from '../api/types.ts';
import { englishNamesOf, useRegions } from '../api/use-regions.ts';
import { scopeLabel } from '../auth/scope-label.ts';
import type { Language } from '../i18n/dictionary.ts';
import { useI18n } from '../i18n/i18n.tsx';
import { navItemsFor } from '../nav/nav.ts';
import { Link } from '../router/router.tsx';
import { chartFontFamily, EChart, type EChartOption } from '../ui/echart.tsx';

function cityName(city: City, language: Language): string {
  return language === 'zh' ? city.name : city.nameEn;
}

function chartOption(cities: City[], language: Language, title: string): EChartOption {
  return {
    textStyle: { fontFamily: chartFontFamily },
    title: {
      text: title,
      left: 'center',
      textStyle: { fontFamily: chartFontFamily, fontSize: 14 },
    },
    tooltip: { trigger: 'axis' },
    grid: { left: 64, right: 16, top: 48, bottom: 48 },
    xAxis: {
      type: 'category',
      data: cities.map((city) => cityName(city, language)),
      axisLabel: { interval: 0, rotate: cities.length > 6 ? 30 : 0 },
    },
    yAxis: { type: 'value' },
    series: [
      {
        type: 'bar',
        name: title,
        data: cities.map((city) => city.insuredWorkers),
        itemStyle: { color: '#1677ff' },
        barMaxWidth: 48,
      },
    ],
  };
}

type HomePageProps = { user: SessionUser };

/** The pages of the user's work (the menu's items but home), so a first page always leads somewhere. */
function WorkCard({ user }: HomePageProps) {
  const { t } = useI18n();
  const items = navItemsFor(user.permissions, user.scope.kind).filter((i) => i.key !== 'home');
  if (items.length === 0) return null;
  return (
    <Card className="scope-card" title={t('home.yourWork')} data-testid="home-work">
      {items.map((i) => (
        <div key={i.key}>
          <Link to={i.path} data-testid={`home-work-${i.key}`}>
            {t(i.labelKey)}
          </Link>
        </div>
      ))}
    </Card>
  );
}

export function HomePage({ user }: HomePageProps) {
  const { t, language } = useI18n();
  const canReadRegions = user.permissions.includes('region:read');
  const regions = useRegions(canReadRegions ? user.id : null);
  const loaded = regions.status === 'ready' ? regions.regions : null;
  const names = useMemo(() => englishNamesOf(loaded), [loaded]);
  const option = useMemo(
    () => (loaded === null ? null : chartOption(loaded.cities, language, t('home.chartTitle'))),
    [loaded, language, t],
  );
  const totals = useMemo(
    () =>
      (loaded?.cities ?? []).reduce(
        (sum, city) => ({
          employers: sum.employers + city.insuredEmployers,
          workers: sum.workers + city.insuredWorkers,
        }),
        { employers: 0, workers: 0 },
      ),
    [loaded],
  );

  return (
    <div className="page">
      <Typography.Title level={2}>{t('home.welcome', { name: user.displayName })}</Typography.Title>
      <Card className="scope-card">
        <Typography.Text type="secondary">{t('home.yourScope')}</Typography.Text>
        <div className="scope-big" data-testid="home-scope">
          {scopeLabel(user, language, names)}
        </div>
      </Card>
      <WorkCard user={user} />

      {!canReadRegions && (
        <Alert
          type="info"
          showIcon
          title={t('home.noRegionPermission')}
          data-testid="home-no-regions"
        />
      )}
      {regions.status === 'loading' && <Skeleton active />}
      {regions.status === 'failed' && (
        <Alert type="error" showIcon title={t('home.regionsFailed', { detail: regions.message })} />
      )}
      {loaded !== null && option !== null && (
        <>
          <Row gutter={16} className="stats-row">
            <Col xs={24} md={8}>
              <Card>
                <Statistic
                  title={t('home.province')}
                  value={`${language === 'zh' ? loaded.province.name : loaded.province.nameEn} (${loaded.province.code})`}
                />
              </Card>
            </Col>
            <Col xs={12} md={8}>
              <Card>
                <Statistic title={t('home.colEmployers')} value={totals.employers} />
              </Card>
            </Col>
            <Col xs={12} md={8}>
              <Card>
                <Statistic title={t('home.colWorkers')} value={totals.workers} />
              </Card>
            </Col>
          </Row>
          <Card title={t('home.cities')}>
            <EChart option={option} ariaLabel={t('home.chartTitle')} data-testid="home-chart" />
            <Table<City>
              data-testid="regions-table"
              rowKey="code"
              size="small"
              pagination={false}
              dataSource={loaded.cities}
              columns={[
                { title: t('home.colCode'), dataIndex: 'code' },
                {
                  title: t('home.colCity'),
                  key: 'name',
                  render: (_, city) => cityName(city, language),
                },
                {
                  title: t('home.colEmployers'),
                  dataIndex: 'insuredEmployers',
                  align: 'right',
                  render: (value: number) => value.toLocaleString('en-US'),
                },
                {
                  title: t('home.colWorkers'),
                  dataIndex: 'insuredWorkers',
                  align: 'right',
                  render: (value: number) => value.toLocaleString('en-US'),
                },
              ]}
            />
          </Card>
        </>
      )}
    </div>
  );
}
