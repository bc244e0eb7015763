/** CloudWatch alarms for the stage: REST 5XX, WebSocket errors, and Lambda errors and throttles per function. */
import { Duration } from 'aws-cdk-lib';
import type * as apigateway from 'aws-cdk-lib/aws-apigateway';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as actions from 'aws-cdk-lib/aws-cloudwatch-actions';
import type * as lambda from 'aws-cdk-lib/aws-lambda';
import * as sns from 'aws-cdk-lib/aws-sns';
import { Construct } from 'constructs';
import { acknowledgeRule } from '../nag.js';
import { pascalCase } from '../names.js';

export interface OperationsAlarmsProps {
  readonly stage: string;
  readonly restApi: apigateway.IRestApi & {
    metricServerError(props?: cloudwatch.MetricOptions): cloudwatch.Metric;
  };
  /** WebSocket API id and stage name, the dimensions of its AWS/ApiGateway metrics. */
  readonly webSocket: { readonly apiId: string; readonly stageName: string };
  /** Functions by name; each gets an Errors and a Throttles alarm. */
  readonly functions: ReadonlyMap<string, lambda.IFunction>;
  /**
   * Errors per 5 minutes at which a function alarm fires.
   * @default 5
   */
  readonly functionErrorThreshold?: number;
  /**
   * REST 5XX responses per 5 minutes at which the API alarm fires.
   * @default 5
   */
  readonly serverErrorThreshold?: number;
}

const PERIOD = Duration.minutes(5);

export class OperationsAlarms extends Construct {
  /** Every alarm publishes here; subscribe an e-mail address or a chat integration to it. */
  readonly topic: sns.Topic;
  readonly alarms: cloudwatch.Alarm[] = [];

  constructor(scope: Construct, id: string, props: OperationsAlarmsProps) {
    super(scope, id);
    const functionErrorThreshold = props.functionErrorThreshold ?? 5;
    const serverErrorThreshold = props.serverErrorThreshold ?? 5;
    for (const [key, value] of [
      ['functionErrorThreshold', functionErrorThreshold],
      ['serverErrorThreshold', serverErrorThreshold],
    ] as const) {
      if (!Number.isInteger(value) || value < 1) {
        throw new Error(`OperationsAlarms: ${key} must be a positive integer, got ${value}.`);
      }
    }

    this.topic = new sns.Topic(this, 'Topic', {
      displayName: `KatApp ${props.stage} alarms`,
      enforceSSL: true,
    });
    acknowledgeRule(
      this.topic,
      'AwsSolutions-SNS2',
      'Alarm notifications carry alarm names and metric values only, no patient data; CloudWatch cannot publish to a topic encrypted with the AWS managed SNS key.',
    );
    const alarmAction = new actions.SnsAction(this.topic);

    this.add(
      'RestServerErrors',
      {
        metric: props.restApi.metricServerError({ period: PERIOD, statistic: 'Sum' }),
        threshold: serverErrorThreshold,
        description: `REST API of stage ${props.stage} returned ${serverErrorThreshold} or more 5XX responses in 5 minutes`,
      },
      alarmAction,
    );

    for (const metricName of ['IntegrationError', 'ExecutionError']) {
      this.add(
        `WebSocket${metricName}`,
        {
          metric: new cloudwatch.Metric({
            namespace: 'AWS/ApiGateway',
            metricName,
            dimensionsMap: { ApiId: props.webSocket.apiId, Stage: props.webSocket.stageName },
            period: PERIOD,
            statistic: 'Sum',
          }),
          threshold: 1,
          description: `WebSocket API of stage ${props.stage} reported ${metricName} in the last 5 minutes`,
        },
        alarmAction,
      );
    }

    for (const [name, fn] of props.functions) {
      const id = pascalCase(name);
      this.add(
        `${id}Errors`,
        {
          metric: fn.metricErrors({ period: PERIOD, statistic: 'Sum' }),
          threshold: functionErrorThreshold,
          description: `Function ${name} of stage ${props.stage} failed ${functionErrorThreshold} or more times in 5 minutes`,
        },
        alarmAction,
      );
      this.add(
        `${id}Throttles`,
        {
          metric: fn.metricThrottles({ period: PERIOD, statistic: 'Sum' }),
          threshold: 1,
          description: `Function ${name} of stage ${props.stage} was throttled in the last 5 minutes`,
        },
        alarmAction,
      );
    }
  }

  private add(
    id: string,
    options: { metric: cloudwatch.IMetric; threshold: number; description: string },
    action: cloudwatch.IAlarmAction,
  ): void {
    const alarm = new cloudwatch.Alarm(this, id, {
      metric: options.metric,
      threshold: options.threshold,
      evaluationPeriods: 1,
      comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
      treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
      alarmDescription: options.description,
    });
    alarm.addAlarmAction(action);
    this.alarms.push(alarm);
  }
}
