import { Alert, App, Button, Card, Form, Input, Select, Space, Table } from 'antd';
import { useCallback, useEffect, useState } from 'react';
import { describeError } from '../../api/client.ts';
import type { SessionUser } from '../../api/types.ts';
import { useRegions } from '../../api/use-regions.ts';
import { useI18n } from '../../i18n/i18n.tsx';
import { appraisalApi, type Expert } from './appraisal-api.ts';
import type { Specialty } from './appraisal-forms.ts';
import { appraisalText } from './appraisal-messages.ts';
import { specialtyName, useSpecialtyOptions } from './appraisal-step-forms.tsx';

/** The committees a user keeps pools for: a city's own; the province's and each of its cities'. */
function useCommittees(user: SessionUser): { value: string; label: string }[] {
  const regions = useRegions(user.scope.kind === 'province' ? user.id : null);
  const own = user.scope.code;
  if (own === null) return [];
  if (user.scope.kind !== 'province' || regions.status !== 'ready')
    return [{ value: own, label: `${user.scope.name ?? ''} ${own}`.trim() }];
  const r = regions.regions;
  return [
    { value: r.province.code, label: `${r.province.name} ${r.province.code}` },
    ...r.cities.map((c) => ({ value: c.code, label: `${c.name} ${c.code}` })),
  ];
}

type AddValues = { name: string; specialty: Specialty };

/** Adds an expert (name, specialty) to the committee's pool. */
function AddExpertForm({ committee, onAdded }: { committee: string; onAdded: () => void }) {
  const { language } = useI18n();
  const tr = appraisalText(language);
  const { message } = App.useApp();
  const [form] = Form.useForm<AddValues>();
  const add = (v: AddValues) =>
    appraisalApi
      .addExpert(committee, { name: v.name.trim(), specialty: v.specialty })
      .then(() => {
        message.success(tr('done'));
        form.setFieldValue('name', '');
        onAdded();
      })
      .catch((e: unknown) => message.error(describeError(e)));
  return (
    <Form<AddValues>
      form={form}
      name="expert"
      layout="inline"
      onFinish={add}
      initialValues={{ specialty: 'orthopaedics' }}
      style={{ marginBottom: 12 }}
    >
      <Form.Item name="name" rules={[{ required: true, whitespace: true, max: 50 }]}>
        <Input placeholder={tr('expertName')} data-testid="expert-name" />
      </Form.Item>
      <Form.Item name="specialty">
        <Select style={{ minWidth: 160 }} options={useSpecialtyOptions()} />
      </Form.Item>
      <Button htmlType="submit" data-testid="expert-add">
        {tr('addExpert')}
      </Button>
    </Form>
  );
}

/**
 * The committee's expert pool (医疗卫生专家库, 《工伤保险条例》第二十四条第二款): the active experts of a
 * committee by specialty; with appraisal:write, add one (name, specialty) or take one out.
 */
export function ExpertPool({ user }: { user: SessionUser }) {
  const { language } = useI18n();
  const tr = appraisalText(language);
  const { message } = App.useApp();
  const committees = useCommittees(user);
  const canWrite = user.permissions.includes('appraisal:write');
  const [committee, setCommittee] = useState<string | null>(user.scope.code);
  const [specialty, setSpecialty] = useState<Specialty | undefined>(undefined);
  const [experts, setExperts] = useState<Expert[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  const reload = useCallback(() => {
    if (committee === null) return;
    setError(null);
    appraisalApi
      .experts(committee, specialty)
      .then((r) => setExperts(r.experts))
      .catch((e: unknown) => setError(describeError(e)));
  }, [committee, specialty]);
  useEffect(reload, [reload]);
  const act = (call: () => Promise<unknown>) =>
    call()
      .then(() => {
        message.success(tr('done'));
        reload();
      })
      .catch((e: unknown) => message.error(describeError(e)));
  const specialties = useSpecialtyOptions();
  return (
    <Card title={tr('pool')} size="small" data-testid="expert-pool">
      <Space wrap style={{ marginBottom: 12 }}>
        <Select
          data-testid="expert-committee"
          style={{ minWidth: 200 }}
          value={committee}
          onChange={setCommittee}
          options={committees}
        />
        <Select
          allowClear
          style={{ minWidth: 160 }}
          placeholder={tr('anySpecialty')}
          value={specialty}
          onChange={setSpecialty}
          options={specialties}
        />
      </Space>
      {canWrite && committee !== null && <AddExpertForm committee={committee} onAdded={reload} />}
      {error !== null && <Alert type="error" showIcon title={error} />}
      <Table<Expert>
        data-testid="expert-list"
        rowKey="id"
        size="small"
        loading={experts === null && error === null}
        dataSource={experts ?? []}
        locale={{ emptyText: tr('noExperts') }}
        pagination={{ pageSize: 20 }}
        columns={[
          { title: tr('expertName'), dataIndex: 'name' },
          {
            title: tr('specialty'),
            dataIndex: 'specialty',
            render: (s: string) => specialtyName(s, language),
          },
          ...(canWrite
            ? [
                {
                  title: tr('actions'),
                  key: 'actions',
                  render: (_: unknown, e: Expert) => (
                    <Button
                      size="small"
                      onClick={() =>
                        act(() => appraisalApi.deactivateExpert(e.committeeCode, e.id))
                      }
                    >
                      {tr('deactivate')}
                    </Button>
                  ),
                },
              ]
            : []),
        ]}
      />
    </Card>
  );
}
