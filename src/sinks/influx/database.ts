/**
 * The database and its retention policy, created at the first contact (InfluxDB 1.x; both
 * statements are idempotent). The policy is named `homewatch` and made the database's default, so
 * that writes and the dashboards' queries need not name it.
 * @module
 */
import { type InfluxClient, InfluxRequestError } from './client.js';
import type { InfluxConfig } from './config.js';

/** Pings, then creates what is missing; throws the client's InfluxRequestError on failure. */
export async function ensureDatabase(client: InfluxClient, c: InfluxConfig): Promise<void> {
  await client.ping();
  const db = identifier(c.database);
  try {
    await client.exec(`CREATE DATABASE ${db}`);
  } catch (err) {
    // A user with WRITE but not admin: the database must exist already; writes will tell.
    if (!(err instanceof InfluxRequestError) || err.kind !== 'forbidden') throw err;
    return;
  }
  const rp = `"homewatch" ON ${db} DURATION ${c.retention}`;
  try {
    await client.exec(`CREATE RETENTION POLICY ${rp} REPLICATION 1 DEFAULT`);
  } catch (err) {
    // It exists with another duration: change it only when the user asked for one.
    if (!(err instanceof InfluxRequestError) || err.kind !== 'rejected') throw err;
    if (c.retentionExplicit) await client.exec(`ALTER RETENTION POLICY ${rp} DEFAULT`);
  }
}

/** An InfluxQL identifier, double-quoted. */
function identifier(name: string): string {
  return `"${name.replace(/(["\\])/g, '\\$1')}"`;
}
