// API Gateway REST resource path rules: a path parameter must be a whole segment, segments use only
// alphanumerics and `_ - . , :`, and variables that are siblings in the resource tree must share one name.

import { ContractRuleError } from '../../util/errors.js';
import { pointer } from '../../util/json.js';

const LITERAL_SEGMENT = /^[A-Za-z0-9_\-.,:]+$/;
const VARIABLE_SEGMENT = /^\{[A-Za-z0-9_\-.]+\+?\}$/;

interface ResourceNode {
  literals: Map<string, ResourceNode>;
  variable?: { name: string; path: string; node: ResourceNode };
}

/** Throws a ContractRuleError naming the first path API Gateway would reject. */
export function checkGatewayPaths(paths: string[]): void {
  const root: ResourceNode = { literals: new Map() };
  for (const path of paths) {
    const location = pointer('paths', path);
    if (!path.startsWith('/')) throw new ContractRuleError(location, 'a path must start with "/".');
    const segments = path === '/' ? [] : path.slice(1).split('/');
    let node = root;
    segments.forEach((segment, index) => {
      if (segment.includes('{') || segment.includes('}')) {
        if (!VARIABLE_SEGMENT.test(segment)) {
          throw new ContractRuleError(
            location,
            `segment "${segment}" mixes a path parameter with other text; API Gateway needs each parameter to be ` +
              'a whole segment (use /photos/{photoId} instead of /photos/{photoId}.png).',
          );
        }
        if (segment.endsWith('+}') && index !== segments.length - 1) {
          throw new ContractRuleError(location, `greedy parameter ${segment} must be the last segment.`);
        }
        const name = segment.slice(1, -1);
        if (node.variable === undefined) node.variable = { name, path, node: { literals: new Map() } };
        else if (node.variable.name !== name) {
          throw new ContractRuleError(
            location,
            `parameter {${name}} sits where ${node.variable.path} uses {${node.variable.name}}; API Gateway needs ` +
              'sibling path parameters to have the same name, so rename one of them.',
          );
        }
        node = node.variable.node;
        return;
      }
      if (segment === '' || !LITERAL_SEGMENT.test(segment)) {
        throw new ContractRuleError(
          location,
          `segment "${segment}" is not allowed; use alphanumerics and _ - . , : only, and no empty segments.`,
        );
      }
      let next = node.literals.get(segment);
      if (next === undefined) {
        next = { literals: new Map() };
        node.literals.set(segment, next);
      }
      node = next;
    });
  }
}
