import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { Result } from '../kernel/result.ts';
import { type InputProblem, inputProblem, parseInput } from '../kernel/validation.ts';
import {
  type DemoProvince,
  demoProvinceSchema,
  type ProvinceDefinition,
  provinceDefinitionSchema,
} from '../usecases/registry/province-definition.ts';
import { parseYamlText } from './yaml-text.ts';

/**
 * Province definition files (YAML, or JSON, which is YAML too): the operator's file for `tongchou
 * init`, and the committed demo province the seed reads. Read here, on the runtime floor, like the
 * rule files; the use cases receive the checked value.
 */
export const PROVINCES_DIR = fileURLToPath(new URL('../../provinces/', import.meta.url));
export const DEMO_PROVINCE_FILE = `${PROVINCES_DIR}zhejiang-demo.yaml`;

type Parsed<T> = Result<T, 'input.invalid'> & { problem?: InputProblem };

function readYaml(path: string): Parsed<unknown> {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (err) {
    return fileProblem(`cannot read ${path} (${err instanceof Error ? err.message : String(err)})`);
  }
  try {
    return { ok: true, value: parseYamlText(text) };
  } catch (err) {
    return fileProblem(`${path} is not YAML: ${err instanceof Error ? err.message : String(err)}`);
  }
}

function fileProblem(message: string): Parsed<never> {
  const problem = inputProblem([{ path: '(file)', code: 'input.unreadable', message }]);
  return { ok: false, code: 'input.invalid', message, problem };
}

/** An operator's definition file; every problem in it is reported at once, by path. */
export function readProvinceDefinition(path: string): Parsed<ProvinceDefinition> {
  const yaml = readYaml(path);
  return yaml.ok ? parseInput(provinceDefinitionSchema, yaml.value) : yaml;
}

let demo: DemoProvince | undefined;

/** The committed demo province, read once per process; a broken file is a programmer error. */
export function loadDemoProvince(path: string = DEMO_PROVINCE_FILE): DemoProvince {
  if (path === DEMO_PROVINCE_FILE && demo) return demo;
  const yaml = readYaml(path);
  const parsed = yaml.ok ? parseInput(demoProvinceSchema, yaml.value) : yaml;
  if (!parsed.ok) throw new Error(`demo province ${path}: ${parsed.message}`);
  if (path === DEMO_PROVINCE_FILE) demo = parsed.value;
  return parsed.value;
}
