/**
 * Helpers for acknowledging cdk-nag findings. cdk-nag 3 matches an acknowledgement by the exact finding id, and
 * for wildcard IAM findings that id embeds the resource as cdk-nag flattens it (`<Logical.Arn>/prefix/*`).
 */
import { Stack, Validations } from 'aws-cdk-lib';
import type { IConstruct } from 'constructs';

/** Acknowledges the AwsSolutions-IAM5 finding for `resource` (an ARN string, possibly with tokens) on `scope`. */
export function acknowledgeWildcardResource(scope: IConstruct, resource: string, reason: string): void {
  const flattened = flattenReference(Stack.of(scope).resolve(resource));
  Validations.of(scope).acknowledge({ id: `AwsSolutions-IAM5[Resource::${flattened}]`, reason });
}

/** Acknowledges the AwsSolutions-IAM5 finding for a wildcard action such as `s3:List*` on `scope`. */
export function acknowledgeWildcardAction(scope: IConstruct, action: string, reason: string): void {
  Validations.of(scope).acknowledge({ id: `AwsSolutions-IAM5[Action::${action}]`, reason });
}

/** Acknowledges a rule that reports one finding per resource, such as `AwsSolutions-S1`. */
export function acknowledgeRule(scope: IConstruct, ruleId: string, reason: string): void {
  Validations.of(scope).acknowledge({ id: ruleId, reason });
}

/**
 * Renders a resolved CloudFormation value the way cdk-nag 3.0.2 names it in findings: `Fn::Join` parts are
 * joined, `Ref` becomes `<Id>`, `Fn::GetAtt` becomes `<Id.Attribute>`, and `${X}` in strings becomes `<X>`.
 */
export function flattenReference(value: unknown): string {
  if (value === undefined) {
    return '';
  }
  if (typeof value === 'string') {
    return value.replace(/\$\{/g, '<').replace(/\}/g, '>');
  }
  if (typeof value === 'object' && value !== null) {
    const node = value as Record<string, unknown>;
    const join = node['Fn::Join'];
    if (Array.isArray(join)) {
      const [delimiter, items] = join as [string, unknown[]];
      return items.map(flattenReference).join(delimiter);
    }
    if (node['Fn::Sub'] !== undefined) {
      return flattenReference(node['Fn::Sub']);
    }
    const getAtt = node['Fn::GetAtt'];
    if (Array.isArray(getAtt)) {
      return `<${flattenReference(getAtt[0])}.${flattenReference(getAtt[1])}>`;
    }
    if (node['Fn::ImportValue'] !== undefined) {
      return flattenReference(node['Fn::ImportValue']);
    }
    if (node.Ref !== undefined) {
      return `<${flattenReference(node.Ref)}>`;
    }
  }
  return JSON.stringify(value);
}
