import type { Server } from 'node:http';
import request from 'supertest';

/**
 * Waits until the test backend's catalog serves an entity (it processes its locations in the
 * background after start), or fails after a deadline.
 */
export async function waitForEntity(
  server: Server,
  path: string,
  authorization: string,
  timeoutMs = 45_000,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const res = await request(server)
      .get(`/api/catalog/entities/by-name/${path}`)
      .set('authorization', authorization);
    if (res.status === 200) {
      return;
    }
    if (Date.now() > deadline) {
      throw new Error(`the catalog never served ${path}: ${res.status}`);
    }
    await new Promise(resolve => setTimeout(resolve, 200));
  }
}
