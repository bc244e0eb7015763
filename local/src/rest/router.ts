// Matches a request path against REST resource templates the way API Gateway does.
// The path is matched in its encoded form: `%2F` is part of a segment and never separates two.

export interface RouteMatch<T> {
  route: T;
  /** Raw (still percent-encoded) values of the path parameters; greedy parameters keep their slashes. */
  pathParameters: Record<string, string>;
}

interface Segment {
  kind: 'literal' | 'parameter' | 'greedy';
  value: string;
}

interface CompiledRoute<T> {
  route: T;
  resource: string;
  segments: Segment[];
}

function compile(resource: string): Segment[] {
  return resource
    .split('/')
    .filter((segment) => segment.length > 0)
    .map((segment) => {
      const greedy = /^\{(.+)\+\}$/.exec(segment);
      if (greedy?.[1]) {
        return { kind: 'greedy', value: greedy[1] };
      }
      const parameter = /^\{(.+)\}$/.exec(segment);
      if (parameter?.[1]) {
        return { kind: 'parameter', value: parameter[1] };
      }
      return { kind: 'literal', value: segment };
    });
}

/**
 * Routes on resource templates. When several templates match, the most specific wins, segment by
 * segment: a literal beats a parameter, a parameter beats a greedy `{name+}`.
 */
export class ResourceRouter<T extends { resource: string }> {
  private readonly routes: CompiledRoute<T>[];

  constructor(routes: T[]) {
    this.routes = routes.map((route) => ({
      route,
      resource: route.resource,
      segments: compile(route.resource),
    }));
  }

  /** Returns every route whose template matches `rawPath`, most specific first. */
  matchAll(rawPath: string): Array<RouteMatch<T>> {
    const requestSegments = rawPath.split('/').filter((segment) => segment.length > 0);
    const matches: Array<RouteMatch<T> & { rank: number[] }> = [];
    for (const compiled of this.routes) {
      const match = matchSegments(compiled.segments, requestSegments);
      if (match) {
        matches.push({ route: compiled.route, pathParameters: match.parameters, rank: match.rank });
      }
    }
    matches.sort((left, right) => compareRank(left.rank, right.rank));
    return matches.map(({ route, pathParameters }) => ({ route, pathParameters }));
  }
}

function matchSegments(
  segments: Segment[],
  requestSegments: string[],
): { parameters: Record<string, string>; rank: number[] } | undefined {
  const parameters: Record<string, string> = {};
  const rank: number[] = [];
  for (let index = 0; index < segments.length; index += 1) {
    const segment = segments[index] as Segment;
    const actual = requestSegments[index];
    if (segment.kind === 'greedy') {
      const rest = requestSegments.slice(index);
      if (rest.length === 0) {
        return undefined;
      }
      parameters[segment.value] = rest.join('/');
      rank.push(2);
      return { parameters, rank };
    }
    if (actual === undefined) {
      return undefined;
    }
    if (segment.kind === 'literal') {
      if (segment.value !== actual) {
        return undefined;
      }
      rank.push(0);
    } else {
      parameters[segment.value] = actual;
      rank.push(1);
    }
  }
  return segments.length === requestSegments.length ? { parameters, rank } : undefined;
}

function compareRank(left: number[], right: number[]): number {
  for (let index = 0; index < Math.max(left.length, right.length); index += 1) {
    const difference = (left[index] ?? 3) - (right[index] ?? 3);
    if (difference !== 0) {
      return difference;
    }
  }
  return 0;
}
