import type { Page, Route } from 'playwright-core';

export interface FakeMessage {
  id: string;
  sender: string;
  recipient: string;
  body: string;
  createdAt: string;
}

type Handler = (request: {
  method: string;
  url: URL;
  body: unknown;
}) => { status: number; body?: unknown; headers?: Record<string, string> } | undefined;

/**
 * A stand-in for the server at the network layer of the real browser: the client's
 * real fetch and JSON handling run; only the far end is scripted. The real server
 * is exercised by the end-to-end suite.
 */
export async function routeApi(page: Page, handler: Handler): Promise<Array<{ method: string; url: URL; body: unknown }>> {
  const calls: Array<{ method: string; url: URL; body: unknown }> = [];
  await page.route('**/api/v1/**', async (route: Route) => {
    const request = route.request();
    const url = new URL(request.url());
    const raw = request.postData();
    const call = { method: request.method(), url, body: raw ? JSON.parse(raw) : undefined };
    calls.push(call);
    const answer = handler(call);
    if (!answer) {
      await route.fulfill({
        status: 404,
        contentType: 'application/problem+json',
        body: JSON.stringify({ type: '/problems/not-found', title: 'Not Found', status: 404 }),
      });
      return;
    }
    const problem = answer.status >= 400;
    await route.fulfill({
      status: answer.status,
      headers: answer.headers,
      contentType: problem ? 'application/problem+json' : 'application/json',
      body: answer.body === undefined ? '' : JSON.stringify(answer.body),
    });
  });
  return calls;
}

export function aMessage(id: number, sender: string, recipient: string, body = `message ${id}`, createdAt?: string): FakeMessage {
  return { id: String(id), sender, recipient, body, createdAt: createdAt ?? new Date(Date.UTC(2026, 10, 27, 9, 0, id)).toISOString() };
}
