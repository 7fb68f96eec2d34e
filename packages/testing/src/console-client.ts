import type { FastifyInstance, InjectOptions, LightMyRequestResponse } from 'fastify';

/**
 * The operators' console as a browser in miniature, through `inject()`: keeps the session cookie
 * between requests and reads CSRF tokens from pages.
 */
export class ConsoleClient {
  #cookie = '';

  constructor(
    private readonly app: FastifyInstance,
    private readonly credentials: { readonly user: string; readonly password: string },
  ) {}

  async request(options: InjectOptions): Promise<LightMyRequestResponse> {
    const headers = {
      ...(options.headers ?? {}),
      ...(this.#cookie ? { cookie: this.#cookie } : {}),
    };
    const response = await this.app.inject({ ...options, headers });
    const set = response.cookies.find((cookie) => cookie.name === 'wi_session');
    if (set) this.#cookie = set.value ? `wi_session=${encodeURIComponent(set.value)}` : '';
    return response;
  }

  get(url: string) {
    return this.request({ method: 'GET', url });
  }

  /** The CSRF token of the page at `url`, as its forms carry it. */
  async csrfFrom(url: string): Promise<string> {
    const page = await this.get(url);
    const token = /name="_csrf" value="([^"]+)"/.exec(page.body)?.[1];
    if (!token) throw new Error(`no CSRF token on ${url} (${page.statusCode})`);
    return token;
  }

  async postForm(url: string, fields: Record<string, string | string[]>) {
    const body = new URLSearchParams();
    for (const [name, value] of Object.entries(fields)) {
      for (const one of Array.isArray(value) ? value : [value]) body.append(name, one);
    }
    return this.request({
      method: 'POST',
      url,
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      payload: body.toString(),
    });
  }

  /** `extra` goes along with the form, such as `next`, the page to return to. */
  async logIn(
    user = this.credentials.user,
    password = this.credentials.password,
    extra: Record<string, string> = {},
  ) {
    const csrf = await this.csrfFrom('/login');
    return this.postForm('/login', { ...extra, _csrf: csrf, user, password });
  }
}
