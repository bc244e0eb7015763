/** DynamoDB tables built from the table definitions in handlers/src/data/tables.ts. */
import { RemovalPolicy } from 'aws-cdk-lib';
import * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as iam from 'aws-cdk-lib/aws-iam';
import { Construct } from 'constructs';
import {
  type KeyAttribute,
  type TableDefinition,
  tableDefinitions,
} from '../../../handlers/src/data/tables.js';
import type { TableAccess } from '../functions.js';

export interface DataTablesProps {
  /** Stage name; physical table names are `katapp-<stage>-<nameSuffix>`. */
  readonly stage: string;
  /**
   * `retain` keeps the tables when the stack is deleted and turns on deletion protection.
   * @default 'retain'
   */
  readonly removalPolicy?: 'destroy' | 'retain';
  /**
   * Table definitions to build.
   * @default - every definition in handlers/src/data/tables.ts
   */
  readonly definitions?: readonly TableDefinition[];
}

// Item-level actions only: Scan is left out on purpose because no request path may scan a table.
const READ_ACTIONS = [
  'dynamodb:GetItem',
  'dynamodb:BatchGetItem',
  'dynamodb:Query',
  'dynamodb:ConditionCheckItem',
];
const WRITE_ACTIONS = [
  'dynamodb:PutItem',
  'dynamodb:UpdateItem',
  'dynamodb:DeleteItem',
  'dynamodb:BatchWriteItem',
];

/**
 * The Data and Connections tables with point-in-time recovery, AWS-managed encryption, TTL on the
 * definition's attribute and, where the definition declares one, a stream.
 */
export class DataTables extends Construct {
  /** Tables by definition id (`Data`, `Connections`). */
  readonly tables: ReadonlyMap<TableDefinition['id'], dynamodb.Table>;
  readonly definitions: readonly TableDefinition[];

  constructor(scope: Construct, id: string, props: DataTablesProps) {
    super(scope, id);
    const definitions = props.definitions ?? tableDefinitions;
    if (definitions.length === 0) {
      throw new Error('DataTables needs at least one table definition.');
    }
    if (!/^[a-z0-9-]+$/.test(props.stage)) {
      throw new Error(
        `DataTables: stage "${props.stage}" must contain only lower-case letters, digits and dashes.`,
      );
    }
    const retain = (props.removalPolicy ?? 'retain') === 'retain';
    const tables = new Map<TableDefinition['id'], dynamodb.Table>();

    for (const definition of definitions) {
      const table = new dynamodb.Table(this, definition.id, {
        tableName: `katapp-${props.stage}-${definition.nameSuffix}`,
        partitionKey: toAttribute(definition.partitionKey),
        sortKey: toAttribute(definition.sortKey),
        billingMode: dynamodb.BillingMode.PAY_PER_REQUEST,
        encryption: dynamodb.TableEncryption.AWS_MANAGED,
        pointInTimeRecoverySpecification: { pointInTimeRecoveryEnabled: true },
        timeToLiveAttribute: definition.timeToLiveAttribute,
        stream: definition.stream === null ? undefined : dynamodb.StreamViewType[definition.stream],
        deletionProtection: retain,
        removalPolicy: retain ? RemovalPolicy.RETAIN : RemovalPolicy.DESTROY,
      });
      for (const index of definition.globalSecondaryIndexes) {
        table.addGlobalSecondaryIndex({
          indexName: index.indexName,
          partitionKey: toAttribute(index.partitionKey),
          sortKey: toAttribute(index.sortKey),
          projectionType: dynamodb.ProjectionType[index.projection],
        });
      }
      tables.set(definition.id, table);
    }
    this.tables = tables;
    this.definitions = definitions;
  }

  /** Returns the table built from the definition `id`, or throws if there is none. */
  table(id: TableDefinition['id']): dynamodb.Table {
    const table = this.tables.get(id);
    if (!table) {
      throw new Error(
        `DataTables has no table "${id}"; defined tables: ${[...this.tables.keys()].join(', ')}.`,
      );
    }
    return table;
  }

  /**
   * Grants item-level access to table `id` and each of its indexes by name (no `index/*` wildcard).
   * `read` allows GetItem, BatchGetItem, Query and ConditionCheckItem; `readWrite` adds PutItem, UpdateItem,
   * DeleteItem and BatchWriteItem. Scan is never granted.
   */
  grantAccess(grantee: iam.IGrantable, id: TableDefinition['id'], access: TableAccess): void {
    if (access === 'none') {
      return;
    }
    const table = this.table(id);
    const definition = this.definitions.find((candidate) => candidate.id === id);
    const indexArns = (definition?.globalSecondaryIndexes ?? []).map(
      (index) => `${table.tableArn}/index/${index.indexName}`,
    );
    grantee.grantPrincipal.addToPrincipalPolicy(
      new iam.PolicyStatement({
        actions: access === 'read' ? READ_ACTIONS : [...READ_ACTIONS, ...WRITE_ACTIONS],
        resources: [table.tableArn, ...indexArns],
      }),
    );
  }
}

function toAttribute(key: KeyAttribute): dynamodb.Attribute {
  const types: Record<KeyAttribute['type'], dynamodb.AttributeType> = {
    S: dynamodb.AttributeType.STRING,
    N: dynamodb.AttributeType.NUMBER,
    B: dynamodb.AttributeType.BINARY,
  };
  return { name: key.name, type: types[key.type] };
}
