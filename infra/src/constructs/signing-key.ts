/** The ES256 signing key: a Secrets Manager secret filled at deploy time by a key-generating custom resource. */
import { CustomResource, Duration, RemovalPolicy } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as nodejs from 'aws-cdk-lib/aws-lambda-nodejs';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import { Construct } from 'constructs';
import { acknowledgeRule } from '../nag.js';
import { repositoryPaths } from '../paths.js';
import { bundlingOptions, commonFunctionProps, NODE_RUNTIME_REASON } from './lambda-bundle.js';

export interface SigningKeyProps {
  /** Stage name, used in the secret's name `katapp/<stage>/signing-key`. */
  readonly stage: string;
  readonly logRetention: logs.RetentionDays;
  /**
   * Removal policy of the secret and of the generator's log group.
   * @default RemovalPolicy.RETAIN
   */
  readonly removalPolicy?: RemovalPolicy;
}

/**
 * A secret whose value is an ES256 private JWK (see infra/src/keygen). The key is generated inside AWS on the
 * first deploy, so it never exists in the cloud assembly, in CI or on a laptop.
 */
export class SigningKey extends Construct {
  readonly secret: secretsmanager.Secret;
  /** The secret's ARN as an attribute of the custom resource: referencing it waits until the key is written. */
  readonly secretArnAfterGeneration: string;

  constructor(scope: Construct, id: string, props: SigningKeyProps) {
    super(scope, id);
    if (!/^[a-z0-9-]+$/.test(props.stage)) {
      throw new Error(
        `SigningKey: stage "${props.stage}" must contain only lower-case letters, digits and dashes.`,
      );
    }
    const removalPolicy = props.removalPolicy ?? RemovalPolicy.RETAIN;

    // Until the custom resource runs, the secret contains the random string that Secrets Manager generates.
    this.secret = new secretsmanager.Secret(this, 'Secret', {
      secretName: `katapp/${props.stage}/signing-key`,
      description: 'ES256 private JWK that signs KatApp access and refresh tokens',
      removalPolicy,
    });
    acknowledgeRule(
      this.secret,
      'AwsSolutions-SMG4',
      'Rotating the signing key invalidates every issued token; a rotation needs a key set with overlap, which the handlers do not read yet.',
    );

    const logGroup = new logs.LogGroup(this, 'GeneratorLogs', {
      logGroupName: `/aws/lambda/katapp-${props.stage}-keygen`,
      retention: props.logRetention,
      removalPolicy,
    });
    const role = new iam.Role(this, 'GeneratorRole', {
      assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com'),
      description: 'Writes the generated signing key into its secret',
    });
    logGroup.grantWrite(role);
    role.addToPrincipalPolicy(
      new iam.PolicyStatement({
        actions: ['secretsmanager:PutSecretValue'],
        resources: [this.secret.secretArn],
      }),
    );

    const generator = new nodejs.NodejsFunction(this, 'Generator', {
      ...commonFunctionProps(repositoryPaths.keygenEntry),
      functionName: `katapp-${props.stage}-keygen`,
      description: 'Generates the ES256 signing key on first deploy',
      memorySize: 256,
      timeout: Duration.seconds(30),
      role,
      logGroup,
      bundling: bundlingOptions(undefined),
    });

    acknowledgeRule(generator, 'AwsSolutions-L1', NODE_RUNTIME_REASON);

    const resource = new CustomResource(this, 'Generation', {
      serviceToken: generator.functionArn,
      resourceType: 'Custom::KatAppSigningKey',
      properties: { SecretId: this.secret.secretArn },
    });
    this.secretArnAfterGeneration = resource.getAttString('SecretArn');
  }
}
