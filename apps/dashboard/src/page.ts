import type { FastifyInstance, FastifyReply } from 'fastify';
import { type PageContext, renderPage } from './view.ts';

/**
 * What a page gives besides the request's own context. `user: undefined` keeps the operator's
 * name and menu off a page (the login form).
 */
export type PageData = Omit<PageContext, 'user' | 'csrfToken'> & {
  readonly user?: undefined;
} & Record<string, unknown>;

declare module 'fastify' {
  interface FastifyReply {
    /** Renders `template` in the layout, with the logged-in operator and a CSRF token for its forms. */
    page(template: string, data: PageData, status?: number): FastifyReply;
  }
}

export function decoratePage(app: FastifyInstance) {
  app.decorateReply('page', function (this: FastifyReply, template, data, status = 200) {
    const context = { user: this.request.session.get('user'), csrfToken: this.generateCsrf() };
    return renderPage(this, template, { ...context, ...data }, status);
  });
}
