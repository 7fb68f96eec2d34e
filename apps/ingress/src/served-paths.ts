import type { FastifyInstance, RouteOptions } from 'fastify';

declare module 'fastify' {
  interface FastifyContextConfig {
    /**
     * For a route that serves only some of the paths its URL matches (GET on
     * `/webhooks/:source` for handshake sources alone): whether it serves this one.
     */
    servesPath?: (path: string) => boolean;
  }
}

type ServesPath = (path: string) => boolean;

const everyPath: ServesPath = () => true;

interface ServedPath {
  readonly pattern: RegExp;
  /** Each method, and which of the matching paths it serves. */
  readonly methods: Map<string, ServesPath>;
}

const escapeRegExp = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** `/webhooks/:source` matches `/webhooks/<one segment, maybe empty>`, as Fastify's router does. */
function patternOf(url: string): RegExp {
  const segments = url.split('/').map((segment) => {
    if (segment.startsWith(':')) return '[^/]*';
    return segment === '*' ? '.*' : escapeRegExp(segment);
  });
  return new RegExp(`^${segments.join('/')}$`);
}

/**
 * The paths the app serves and the methods each takes, learnt as routes are added, so that a
 * request for a served path with another method is told which ones to use (405 and `Allow`)
 * rather than that nothing is there.
 */
export class ServedPaths {
  readonly #paths = new Map<string, ServedPath>();

  /** Registers itself as an onRoute hook; call before any route is added. */
  static collect(app: FastifyInstance): ServedPaths {
    const served = new ServedPaths();
    app.addHook('onRoute', (route) => served.add(route));
    return served;
  }

  add(route: Pick<RouteOptions, 'url' | 'method' | 'config'>) {
    const path = this.#paths.get(route.url) ?? {
      pattern: patternOf(route.url),
      methods: new Map(),
    };
    const serves = route.config?.servesPath ?? everyPath;
    for (const method of [route.method].flat()) path.methods.set(method.toUpperCase(), serves);
    this.#paths.set(route.url, path);
  }

  /** The methods served at `path` (no query string), sorted; empty when nothing is there. */
  methodsAt(path: string): string[] {
    const methods = new Set<string>();
    for (const served of this.#paths.values()) {
      if (!served.pattern.test(path)) continue;
      for (const [method, serves] of served.methods) if (serves(path)) methods.add(method);
    }
    return [...methods].sort();
  }
}
