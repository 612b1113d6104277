// The demo shop: customers, products, orders, order_items and a legacy_coupons table, generated from a fixed seed
// so every install holds the same data. Dates count back from the day the shop is generated, so queries about
// "this year" or "last month" find rows. The extension and the CLI ship the shop as a SQLite file made from this
// (demo-shop.sqlite, written by `npm run demo-database`); at first use it is copied with its dates moved forward.
import { writeFile } from 'node:fs/promises';
import initSqlJs from 'sql.js';

/** The rows of one table. */
export interface TableRows {
  table: string;
  columns: string[];
  rows: (string | number | null)[][];
}

const firstNames = ['Olivia', 'Liam', 'Emma', 'Noah', 'Amelia', 'Oliver', 'Sophia', 'Elijah', 'Mia', 'Lucas', 'Hannah', 'Lukas', 'Léa', 'Hugo', 'Chloé', 'Mateo', 'Lucía', 'Sofía', 'Giulia', 'Lorenzo', 'Sakura', 'Haruto', 'Yui', 'Wei', 'Jing', 'Min-jun', 'Seo-yeon', 'Aarav', 'Ananya', 'Ingrid', 'Lars', 'Zofia', 'Jan', 'Fatima', 'Omar', 'Chiara', 'João', 'Ana', 'Thandiwe', 'Kwame'];
const lastNames = ['Smith', 'Johnson', 'Williams', 'Brown', 'Müller', 'Schmidt', 'Dubois', 'Martin', 'García', 'Fernández', 'Rossi', 'Bianchi', 'Sato', 'Suzuki', 'Wang', 'Li', 'Kim', 'Park', 'Sharma', 'Patel', 'Johansson', 'Nowak', 'Kowalski', "O'Brien", 'Silva', 'Santos', 'Dlamini', 'Mensah', 'Novak', 'Jensen'];
const emailDomains = ['example.com', 'example.org', 'example.net', 'mail.example', 'shop.example'];
/** Countries weighted roughly like a European web shop's customers; some old imports still say UK. */
const countries = ['DE', 'DE', 'DE', 'FR', 'FR', 'GB', 'GB', 'UK', 'NL', 'ES', 'IT', 'IT', 'PL', 'SE', 'AT', 'BE', 'US', 'US', 'CA', 'JP', 'CN', 'KR', 'IN', 'BR', 'ZA'];
const categories: Record<string, { items: string[]; price: [number, number] }> = {
  Books: { items: ['Paperback Novel', 'Cookbook', 'Travel Guide', 'Graphic Novel', 'Field Notes Journal', 'Atlas'], price: [8, 45] },
  Electronics: { items: ['USB-C Charger', 'Wireless Earbuds', 'Bluetooth Speaker', 'Mechanical Keyboard', 'Webcam', 'E-Reader'], price: [15, 240] },
  Home: { items: ['Ceramic Mug', 'Linen Tea Towel', 'Cast Iron Pan', 'Scented Candle', 'Wool Throw', 'Glass Carafe'], price: [6, 120] },
  Garden: { items: ['Pruning Shears', 'Seed Collection', 'Watering Can', 'Planter Box', 'Garden Gloves', 'Bird Feeder'], price: [5, 90] },
  Toys: { items: ['Wooden Puzzle', 'Building Blocks', 'Plush Bear', 'Kite', 'Board Game', 'Marble Run'], price: [9, 70] },
  Sports: { items: ['Yoga Mat', 'Water Bottle', 'Running Socks', 'Jump Rope', 'Resistance Bands', 'Cycling Cap'], price: [7, 85] },
};
const variants = ['', ' (Blue)', ' (Large)', ' Deluxe', ' Mini'];
const statuses = ['delivered', 'delivered', 'delivered', 'shipped', 'paid', 'placed', 'cancelled'];

export const demoCounts = { customers: 2000, products: 150, orders: 8000, coupons: 40 };

/**
 * The shop in SQLite's terms: timestamps are UTC text as SQLite's own datetime() writes it ('2025-06-01 14:03:27'),
 * so date('now', 'start of month') and friends compare with them directly; prices are decimals (NUMERIC
 * affinity), totals exact integer cents. Foreign keys are enforced (the engine turns them on).
 */
export const demoSchema = `
CREATE TABLE customers (
  id         integer PRIMARY KEY,
  email      text NOT NULL UNIQUE,
  full_name  text NOT NULL,
  country    char(2) NOT NULL CHECK (length(country) = 2),
  created_at text NOT NULL
);
CREATE TABLE products (
  id       integer PRIMARY KEY,
  name     text NOT NULL,
  category text NOT NULL,
  price    numeric(10,2) NOT NULL CONSTRAINT products_price_check CHECK (price >= 0)
);
CREATE TABLE orders (
  id          integer PRIMARY KEY,
  customer_id integer NOT NULL REFERENCES customers (id),
  placed_at   text NOT NULL,
  status      text NOT NULL,
  total_cents integer NOT NULL
);
CREATE TABLE order_items (
  order_id   integer NOT NULL REFERENCES orders (id) ON DELETE CASCADE,
  product_id integer NOT NULL REFERENCES products (id),
  quantity   integer NOT NULL CHECK (quantity > 0),
  unit_price numeric(10,2) NOT NULL,
  PRIMARY KEY (order_id, product_id)
);
CREATE TABLE legacy_coupons (
  code             text PRIMARY KEY,
  discount_percent integer NOT NULL,
  expires_on       text
);
`;
/** mulberry32: a small, well-known seeded generator; the same seed gives the same shop everywhere. */
function random(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const dayMs = 86_400_000;

/**
 * Writes the shop as a SQLite file, as of `today` (midnight UTC); PRAGMA user_version holds that day (days since
 * 1970-01-01), from which a copy moves the dates to its own day. Rows go in through prepared statements, about
 * twice as fast as the same rows as SQL text.
 */
export async function writeDemoShop(file: string, today: Date): Promise<void> {
  const SQL = await initSqlJs();
  const db = new SQL.Database();
  try {
    db.exec('BEGIN');
    db.exec(demoSchema);
    for (const { table, columns, rows } of demoData(today)) {
      const insert = db.prepare(`INSERT INTO ${table} (${columns.join(', ')}) VALUES (${columns.map(() => '?').join(', ')})`);
      try {
        for (const row of rows) insert.run(row);
      } finally {
        insert.free();
      }
    }
    db.exec('COMMIT');
    db.exec(`PRAGMA user_version = ${Math.floor(today.getTime() / dayMs)}`);
    await writeFile(file, db.export());
  } finally {
    db.close();
  }
}

/** The rows that fill the demo shop, as of `today` (midnight UTC of the creation day). */
export function demoData(today: Date): TableRows[] {
  const next = random(20_240_601);
  const pick = <T>(list: readonly T[]): T => list[Math.floor(next() * list.length)];
  const between = (low: number, high: number) => low + next() * (high - low);
  const at = (daysAgo: number) => sqliteTime(new Date(today.getTime() - daysAgo * dayMs + Math.floor(next() * dayMs)));

  const customers: TableRows['rows'] = [];
  const signedUp: number[] = [];
  const emails = new Set<string>(['qa@example.com']);
  for (let id = 1; id <= demoCounts.customers; id++) {
    const daysAgo = Math.floor(between(0, 3 * 365));
    signedUp.push(daysAgo);
    if (id === 7) {
      customers.push([id, 'qa@example.com', 'QA Test Account', 'DE', at(daysAgo)]);
      continue;
    }
    const first = pick(firstNames);
    const last = pick(lastNames);
    let email = `${ascii(first)}.${ascii(last)}@${pick(emailDomains)}`;
    for (let n = 2; emails.has(email); n++) email = email.replace(/(\d*)@/, `${n}@`);
    emails.add(email);
    customers.push([id, email, `${first} ${last}`, pick(countries), at(daysAgo)]);
  }

  const products: TableRows['rows'] = [];
  const prices: number[] = [];
  const names = Object.entries(categories).flatMap(([category, { items, price }]) => items.flatMap((item) => variants.map((variant) => ({ name: item + variant, category, price }))));
  for (let id = 1; id <= demoCounts.products; id++) {
    const product = names[(id - 1) % names.length];
    const price = Math.round(between(...product.price) * 100) / 100 - 0.01;
    prices.push(Math.round(price * 100));
    products.push([id, product.name, product.category, Math.round(price * 100) / 100]);
  }

  const orders: TableRows['rows'] = [];
  const items: TableRows['rows'] = [];
  for (let id = 1; id <= demoCounts.orders; id++) {
    const customer = 1 + Math.floor(next() * demoCounts.customers);
    const daysAgo = Math.floor(between(0, signedUp[customer - 1] + 1));
    const chosen = new Set<number>();
    const lines = 1 + Math.floor(next() * next() * 5);
    while (chosen.size < lines) chosen.add(1 + Math.floor(next() * demoCounts.products));
    let totalCents = 0;
    for (const product of chosen) {
      const quantity = 1 + Math.floor(next() * next() * 4);
      totalCents += quantity * prices[product - 1];
      items.push([id, product, quantity, prices[product - 1] / 100]);
    }
    orders.push([id, customer, at(daysAgo), daysAgo > 14 ? pick(statuses.slice(0, 3).concat('cancelled')) : pick(statuses), totalCents]);
  }

  const coupons: TableRows['rows'] = [];
  for (let n = 1; n <= demoCounts.coupons; n++) {
    const expires = next() < 0.2 ? null : new Date(today.getTime() - Math.floor(between(-200, 900)) * dayMs).toISOString().slice(0, 10);
    coupons.push([`SAVE${String(n).padStart(3, '0')}`, pick([5, 10, 15, 20, 25]), expires]);
  }

  return [
    { table: 'customers', columns: ['id', 'email', 'full_name', 'country', 'created_at'], rows: customers },
    { table: 'products', columns: ['id', 'name', 'category', 'price'], rows: products },
    { table: 'orders', columns: ['id', 'customer_id', 'placed_at', 'status', 'total_cents'], rows: orders },
    { table: 'order_items', columns: ['order_id', 'product_id', 'quantity', 'unit_price'], rows: items },
    { table: 'legacy_coupons', columns: ['code', 'discount_percent', 'expires_on'], rows: coupons },
  ];
}

/** '2025-06-01 14:03:27': UTC, to the second, as SQLite's datetime() writes it. */
function sqliteTime(date: Date): string {
  return date.toISOString().slice(0, 19).replace('T', ' ');
}

function ascii(name: string): string {
  return name
    .normalize('NFD')
    .replace(/[^A-Za-z-]/g, '')
    .toLowerCase();
}
