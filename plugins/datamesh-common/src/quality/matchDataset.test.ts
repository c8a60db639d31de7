import { matchesDatasetLocation, splitDatasetName } from './matchDataset';

const port = {
  namespace: 'postgres://warehouse:5432',
  name: 'analytics.public.orders',
};

describe('matchesDatasetLocation', () => {
  it('matches the same name, case-insensitively and without quotes', () => {
    expect(
      matchesDatasetLocation({ name: 'analytics.public.orders' }, port),
    ).toBe(true);
    expect(
      matchesDatasetLocation({ name: 'ANALYTICS.Public.ORDERS' }, port),
    ).toBe(true);
    expect(
      matchesDatasetLocation({ name: '"analytics"."public"."orders"' }, port),
    ).toBe(true);
    expect(
      matchesDatasetLocation({ name: '`analytics`.`public`.`orders`' }, port),
    ).toBe(true);
    expect(
      matchesDatasetLocation({ name: '[analytics].[public].[orders]' }, port),
    ).toBe(true);
  });

  it('keeps the dots of a quoted part inside it', () => {
    const dotted = { namespace: 'file', name: 'landing."orders.csv"' };
    expect(
      matchesDatasetLocation({ name: 'landing."orders.csv"' }, dotted),
    ).toBe(true);
    expect(matchesDatasetLocation({ name: 'landing.orders.csv' }, dotted)).toBe(
      false,
    );
  });

  it('matches a dataset without a namespace on its name alone', () => {
    expect(
      matchesDatasetLocation({ name: 'analytics.public.orders' }, port),
    ).toBe(true);
  });

  it('matches a namespace only to the same namespace', () => {
    expect(
      matchesDatasetLocation(
        {
          namespace: 'POSTGRES://warehouse:5432/',
          name: 'analytics.public.orders',
        },
        port,
      ),
    ).toBe(true);
    expect(
      matchesDatasetLocation(
        {
          namespace: 'postgres://replica:5432',
          name: 'analytics.public.orders',
        },
        port,
      ),
    ).toBe(false);
  });

  it('does not match on the trailing parts of a name, in either direction', () => {
    // a dbt relation database.schema.identifier and a port named schema.identifier
    expect(
      matchesDatasetLocation(
        { name: 'analytics.public.orders' },
        { namespace: port.namespace, name: 'public.orders' },
      ),
    ).toBe(false);
    // a Soda table and a fully named port
    expect(matchesDatasetLocation({ name: 'orders' }, port)).toBe(false);
    // another environment's database
    expect(matchesDatasetLocation({ name: 'dev.public.orders' }, port)).toBe(
      false,
    );
  });
});

describe('splitDatasetName', () => {
  it('splits on dots outside quotes and removes the quotes', () => {
    expect(splitDatasetName('"jaffle_shop"."main"."customers"')).toEqual([
      'jaffle_shop',
      'main',
      'customers',
    ]);
    expect(splitDatasetName('`random-gcp-project`.`dbt_test1`.`t`')).toEqual([
      'random-gcp-project',
      'dbt_test1',
      't',
    ]);
    expect(splitDatasetName(' [My.Db] . dbo.Orders ')).toEqual([
      'My.Db',
      'dbo',
      'Orders',
    ]);
  });
});
