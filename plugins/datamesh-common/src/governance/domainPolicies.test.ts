import fs from 'fs';
import path from 'path';
import { parseAllDocuments } from 'yaml';
import type { Entity } from '@backstage/catalog-model';
import { validateDataMeshDomain } from '../validation/dataProduct';
import type { DataMeshDomainSpec } from '../types';
import { compilePolicies, evaluateCompliance } from './engine';
import { resolveEffectivePolicies } from './effective';
import type { PolicyFacts } from './types';

const examples = path.resolve(__dirname, '../../../../examples');

function readAll(file: string): Entity[] {
  return parseAllDocuments(fs.readFileSync(file, 'utf8'))
    .map(d => d.toJS())
    .filter(Boolean);
}

const domains = readAll(path.join(examples, 'domains.yaml'));

function domainPolicies(name: string) {
  const domain = domains.find(d => d.metadata.name === name)!;
  return {
    domain: `domain:default/${name}`,
    policies: (domain.spec as { datamesh: DataMeshDomainSpec }).datamesh
      .policies!,
  };
}

/** A product of the examples with its contracts read from its folder. */
function exampleFacts(folder: string, name: string): PolicyFacts {
  const dir = path.join(examples, 'data-products', folder);
  const product = readAll(path.join(dir, 'catalog-info.yaml')).find(
    e => e.metadata.name === name,
  )!;
  const ports = (product.spec as { outputPorts?: Array<{ contract?: string }> })
    .outputPorts;
  const contracts = (ports ?? [])
    .filter(p => p.contract)
    .map(p => readAll(path.join(dir, p.contract!))[0]);
  return { product, contracts };
}

function evaluate(facts: PolicyFacts, domain: string, id: string) {
  const { policies, problems } = resolveEffectivePolicies({
    defaults: [],
    domains: [domainPolicies(domain)],
  });
  expect(problems).toEqual([]);
  const compiled = compilePolicies(policies);
  expect(compiled.problems).toEqual([]);
  return evaluateCompliance(compiled.policies, facts).evaluations.find(
    e => e.policyId === id,
  )!;
}

describe("the example domains' policies", () => {
  it('are valid Domain settings', () => {
    for (const domain of domains) {
      expect({
        domain: domain.metadata.name,
        problems: validateDataMeshDomain(domain),
      }).toEqual({ domain: domain.metadata.name, problems: [] });
    }
  });

  it('marketing-attribution passes the attribution products and fails a marketing aggregate without a model', () => {
    expect(
      evaluate(
        exampleFacts('marketing', 'campaign-attribution'),
        'marketing',
        'marketing-attribution',
      ).status,
    ).toBe('pass');
    // campaign-roi has no model column but consumes campaign-attribution
    expect(
      evaluate(
        exampleFacts('marketing', 'campaign-roi'),
        'marketing',
        'marketing-attribution',
      ).status,
    ).toBe('pass');
    expect(
      evaluate(
        exampleFacts('marketing', 'marketing-campaign-data'),
        'marketing',
        'marketing-attribution',
      ),
    ).toMatchObject({
      status: 'not-applicable',
      reason:
        'The policy applies to the types aggregate, consumer-aligned, not source-aligned.',
    });
    const roi = exampleFacts('marketing', 'campaign-roi');
    const withoutAttribution: PolicyFacts = {
      ...roi,
      product: {
        ...roi.product,
        spec: {
          ...roi.product.spec,
          inputPorts: [
            {
              name: 'touchpoints',
              product: 'marketing-campaign-data',
              port: 'campaign-touchpoints',
            },
          ],
        },
      },
    };
    expect(
      evaluate(withoutAttribution, 'marketing', 'marketing-attribution'),
    ).toMatchObject({
      status: 'fail',
      reason:
        'campaign-roi carries no attribution model: none of its contracts has a column model or attribution_model, and it consumes none of campaign-attribution.',
    });
  });

  it('sales-quota-alignment passes quota attainment and fails quota figures without a fiscal period', () => {
    const attainment = exampleFacts('sales', 'sales-quota-attainment');
    expect(evaluate(attainment, 'sales', 'sales-quota-alignment').status).toBe(
      'pass',
    );
    expect(
      evaluate(
        exampleFacts('sales', 'crm-accounts'),
        'sales',
        'sales-quota-alignment',
      ).status,
    ).toBe('pass');
    const contract = attainment.contracts![0] as {
      schema: Array<{ properties: Array<{ name: string }> }>;
    };
    const withoutPeriod = {
      ...contract,
      schema: contract.schema.map(o => ({
        ...o,
        properties: o.properties.filter(p => p.name !== 'fiscal_quarter'),
      })),
    };
    expect(
      evaluate(
        { ...attainment, contracts: [withoutPeriod] },
        'sales',
        'sales-quota-alignment',
      ),
    ).toMatchObject({
      status: 'fail',
      reason:
        'sales-quota-attainment has quota figures without the fiscal period their quota is defined for: sales-quota-attainment-quota-attainment.quota_attainment needs a column fiscal_quarter, fiscal_month, fiscal_year.',
    });
  });

  it('a Domain with an invalid policy or a rule that does not type-check is refused, naming the field', () => {
    const domain = (policies: unknown[]) => ({
      apiVersion: 'backstage.io/v1alpha1',
      kind: 'Domain',
      metadata: { name: 'd' },
      spec: { owner: 'group:g', datamesh: { policies } },
    });
    expect(
      validateDataMeshDomain(
        domain([
          { id: 'x', description: 'd', enforcement: 'must', rule: 'true' },
        ]),
      ).map(p => p.message),
    ).toEqual([
      'spec.datamesh.policies[0].enforcement must be one of required, recommended, optional, not "must"',
    ]);
    expect(
      validateDataMeshDomain(
        domain([
          {
            id: 'x',
            description: 'd',
            enforcement: 'required',
            rule: 'size(contracts) + "x" == "y"',
          },
          { id: 'x', description: 'd', enforcement: 'required', rule: 'true' },
        ]),
      ).map(p => p.message),
    ).toEqual([
      'spec.datamesh.policies[0].rule: policy x: its rule does not type-check: no such overload: int + string',
      'spec.datamesh.policies[1].id "x" is already the id of spec.datamesh.policies[0]',
    ]);
  });
});
