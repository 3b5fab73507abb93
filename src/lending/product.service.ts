import type { Executor } from '../db/transaction.ts';
import type { BusinessDate } from '../shared/business-date.ts';
import { LenityError } from '../shared/errors.ts';
import type { IdGenerator } from '../shared/ids.ts';
import { assertProductWithinRateCap } from './loan-terms.ts';
import { type Product, formatProduct, parseProduct } from './product.ts';

/** Creates a product; one whose APR could exceed its legal cap anywhere in its ranges is refused. */
export async function createProduct(db: Executor, ids: IdGenerator, json: unknown, businessDate: BusinessDate) {
  const product = parseProduct(json);
  assertProductWithinRateCap(product, businessDate);
  const id = ids('prd');
  await db.insertInto('product').values({ id, name: product.name, currency: product.terms.currency, config: JSON.stringify(formatProduct(product)) }).execute();
  return { id, ...formatProduct(product), active: true };
}

export async function getProduct(db: Executor, productId: string): Promise<{ id: string; product: Product; active: boolean }> {
  const row = await db.selectFrom('product').selectAll().where('id', '=', productId).executeTakeFirst();
  if (!row) throw new LenityError('NOT_FOUND', `Product ${productId} does not exist`, { field: 'productId' });
  return { id: row.id, product: parseProduct(row.config), active: row.active };
}

export async function listProducts(db: Executor) {
  const rows = await db.selectFrom('product').selectAll().orderBy('created_at').execute();
  return rows.map((row) => ({ id: row.id, ...formatProduct(parseProduct(row.config)), active: row.active }));
}
