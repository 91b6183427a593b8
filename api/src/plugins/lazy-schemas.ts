import AjvCompiler, { type ValidatorFactory } from "@fastify/ajv-compiler";
import { SerializerSelector, type SerializerFactory } from "@fastify/fast-json-stringify-compiler";

/** What Fastify hands a compiler for one route's part (body, querystring, params, headers, a response). */
interface RouteSchema {
  schema: unknown;
  method?: string;
  url?: string;
  httpPart?: string;
}
type Compiled = ((...args: unknown[]) => unknown) & { errors?: unknown };
type Compiler = (route: RouteSchema) => Compiled;
type CompilerFactory = (...factoryArgs: unknown[]) => Compiler;

export interface LazySchemas {
  /** For Fastify's `schemaController.compilersFactory`: its own Ajv and fast-json-stringify compilers, deferred. */
  compilersFactory: { buildValidator: ValidatorFactory; buildSerializer: SerializerFactory };
  /** Compiles every schema not compiled yet, throwing what a bad one throws; returns how many it compiled. */
  compileAll(): number;
  /** How many schemas wait for their first use. */
  pending(): number;
}

/**
 * Fastify's own schema compilers, run on a route's first request instead of at start-up. Compiling the 651
 * validators and serializers of every route was a third of an API start's CPU (0.47 of 1.36 s) and of
 * each test's in-process app, while a process serves a few of them. A schema error therefore shows on its
 * route's first request, not at `ready()`: the api's schema test calls `compileAll()` on a whole app.
 *
 * A custom compiler makes Fastify pass header schemas through as written (it lower-cases them for its own):
 * header names must be declared in lower case, which is checked here as each route is added.
 */
export function lazySchemas(): LazySchemas {
  const pending = new Set<() => Compiled>();
  const lazily =
    (factory: CompilerFactory): CompilerFactory =>
    (...factoryArgs) => {
      let compilerOf: Compiler | undefined;
      return (route) => {
        if (route.httpPart === "headers") requireLowerCaseHeaders(route);
        let compiled: Compiled | undefined;
        const compile = (): Compiled => {
          compiled ??= (compilerOf ??= factory(...factoryArgs))(route);
          pending.delete(compile);
          return compiled;
        };
        pending.add(compile);
        const run: Compiled = function (this: unknown, ...args: unknown[]) {
          const fn = compile();
          const result = fn.apply(this, args);
          // Fastify reads a failed validation's reasons from the function it called.
          run.errors = fn.errors;
          return result;
        };
        return run;
      };
    };
  return {
    compilersFactory: {
      // The two packages type their factories apart; at run time both take (external schemas, options) and
      // return a compiler of one route part's schema.
      buildValidator: lazily(AjvCompiler() as unknown as CompilerFactory) as unknown as ValidatorFactory,
      buildSerializer: lazily(SerializerSelector() as unknown as CompilerFactory) as unknown as SerializerFactory,
    },
    compileAll() {
      const all = [...pending];
      for (const compile of all) compile();
      return all.length;
    },
    pending: () => pending.size,
  };
}

function requireLowerCaseHeaders(route: RouteSchema): void {
  const schema = route.schema as { properties?: Record<string, unknown>; required?: string[] } | undefined;
  const names = [...Object.keys(schema?.properties ?? {}), ...(schema?.required ?? [])];
  const upper = names.find((name) => name !== name.toLowerCase());
  if (upper) throw new Error(`${route.method} ${route.url}: header "${upper}" must be declared in lower case`);
}
