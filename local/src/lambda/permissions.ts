// Lambda resource policies (AWS::Lambda::Permission): API Gateway may invoke a function only when a
// permission for its principal matches the caller's source ARN.

import { arnMatches } from '../rest/authorizer.js';
import type { LocalStack } from '../template/stack.js';
import type { FunctionRegistry } from './registry.js';

interface Permission {
  functionLogicalId: string | undefined;
  principal: string;
  sourceArn: string | undefined;
}

/** The invoke permissions of a stack's functions. */
export class InvokePermissions {
  private readonly permissions: Permission[];

  constructor(stack: LocalStack, functions: FunctionRegistry) {
    this.permissions = stack.resourcesOfType('AWS::Lambda::Permission').map((permission) => ({
      functionLogicalId: functions.find(String(permission.properties.FunctionName))?.definition.logicalId,
      principal: String(permission.properties.Principal ?? ''),
      sourceArn:
        permission.properties.SourceArn === undefined ? undefined : String(permission.properties.SourceArn),
    }));
  }

  /** True when some permission lets `principal` invoke the function from `sourceArn` (`*` and `?` match as in IAM). */
  allows(functionLogicalId: string, principal: string, sourceArn: string): boolean {
    return this.permissions.some(
      (permission) =>
        permission.functionLogicalId === functionLogicalId &&
        permission.principal === principal &&
        (permission.sourceArn === undefined || arnMatches(permission.sourceArn, sourceArn)),
    );
  }
}
