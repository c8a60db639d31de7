import { InputError } from '@backstage/errors';
import {
  dataProductEntityV1alpha1Validator,
  validateDataProductEntity,
} from './dataProduct';

const product = {
  apiVersion: 'datamesh.io/v1alpha1',
  kind: 'DataProduct',
  metadata: { name: 'orders' },
  spec: {
    owner: 'group:sales-team',
    domain: 'sales',
    type: 'source-aligned',
    lifecycle: 'production',
  },
};

describe('dataProductEntityV1alpha1Validator', () => {
  it('leaves entities of other kinds to their validators', async () => {
    await expect(
      dataProductEntityV1alpha1Validator.check({
        apiVersion: 'backstage.io/v1alpha1',
        kind: 'Component',
        metadata: { name: 'x' },
      }),
    ).resolves.toBe(false);
  });

  it('accepts a valid DataProduct', async () => {
    await expect(
      dataProductEntityV1alpha1Validator.check(product),
    ).resolves.toBe(true);
    expect(dataProductEntityV1alpha1Validator.validate(product)).toEqual([]);
  });

  it('refuses an invalid DataProduct with an InputError listing what validate lists', async () => {
    const invalid = {
      ...product,
      spec: { ...product.spec, type: 'derived', owner: 'component:x' },
    };
    const problems = dataProductEntityV1alpha1Validator.validate(invalid);
    expect(problems).toEqual(validateDataProductEntity(invalid));
    expect(problems.map(p => p.message)).toEqual([
      'spec.type must be one of source-aligned, aggregate, consumer-aligned, not "derived"',
      'spec.owner must refer to a group or user entity, not "component:x" (kind component)',
    ]);
    const check = dataProductEntityV1alpha1Validator.check(invalid);
    await expect(check).rejects.toBeInstanceOf(InputError);
    await expect(check).rejects.toThrow(
      `Invalid DataProduct entity: ${problems.map(p => p.message).join('; ')}`,
    );
  });
});
