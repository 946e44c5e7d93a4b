import { existsSync } from 'node:fs';
import { DefaultStackSynthesizer, Duration, Stack } from 'aws-cdk-lib';
import * as acm from 'aws-cdk-lib/aws-certificatemanager';
import * as cloudfront from 'aws-cdk-lib/aws-cloudfront';
import * as origins from 'aws-cdk-lib/aws-cloudfront-origins';
import * as iam from 'aws-cdk-lib/aws-iam';
import type * as kms from 'aws-cdk-lib/aws-kms';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as s3 from 'aws-cdk-lib/aws-s3';
import * as s3deploy from 'aws-cdk-lib/aws-s3-deployment';
import { Construct } from 'constructs';
import { webAppContentSecurityPolicy } from '../../shared/infra/content-security-policy.js';
import { acknowledge, wildcardActionFinding, wildcardResourceFinding } from './nag-findings.js';

export const CONTENT_SECURITY_POLICY = webAppContentSecurityPolicy();

export interface CustomDomain {
  readonly domainName: string;
  /** An ACM certificate in us-east-1 covering the domain. */
  readonly certificateArn: string;
}

export interface PublicSiteProps {
  readonly siteBucket: s3.Bucket;
  /** The site bucket's literal name (the same as `siteBucket`'s), see below. */
  readonly siteBucketName: string;
  readonly key: kms.Key;
  readonly logBucket: s3.IBucket;
  /** The built site; deployed when the folder exists, skipped (not an error) when it does not. */
  readonly assetsPath: string;
  readonly customDomain?: CustomDomain;
  /** Names the distribution, its OAC and the deployment role. @default the public leaderboard's names */
  readonly siteName?: string;
  /** @default CONTENT_SECURITY_POLICY (the public site talks to itself only) */
  readonly contentSecurityPolicy?: string;
  /**
   * Where the functions publish into the bucket: served fresh (30–60 s) and kept out of the
   * deployment's sync and prune; `false` for a site with no published data. @default 'data'
   */
  readonly publishedDataPrefix?: string | false;
  /** Serve `index.html` for unknown paths, so a single-page app's routes survive a reload. @default false */
  readonly singlePageApp?: boolean;
  /** Why the distribution has no geo restriction (the CFR1 acknowledgement). */
  readonly geoRestrictionReason?: string;
}

/**
 * A static site behind CloudFront with Origin Access Control: the public leaderboard, and each
 * team's participant web app. Site assets are cached long; the published data (`/data/*`, the
 * boards) for 30–60 s, so a new result shows within a minute without every viewer reaching S3.
 */
export class PublicSite extends Construct {
  readonly distribution: cloudfront.Distribution;
  /** The upload of the build; absent while the build folder does not exist. */
  readonly deployment: s3deploy.BucketDeployment | undefined;

  constructor(scope: Construct, id: string, props: PublicSiteProps) {
    super(scope, id);
    const stack = Stack.of(this);
    const publishedData = props.publishedDataPrefix ?? 'data';

    const originAccessControl = new cloudfront.S3OriginAccessControl(this, 'OriginAccessControl', {
      description: props.siteName ?? 'LLM League public site',
      signing: cloudfront.Signing.SIGV4_ALWAYS,
    });
    // The origin names the bucket by its literal name, not by a reference to the bucket resource:
    // the key policy below must name this distribution, the bucket is encrypted with that key, and
    // a reference from the distribution to the bucket would close the cycle. CDK's own OAC grant on
    // a same-stack key breaks the cycle with `distribution/*` instead, which would let any
    // distribution in the account decrypt the site; so the bucket and key grants are written below.
    const siteBucketByName = s3.Bucket.fromBucketAttributes(this, 'SiteBucketByName', {
      bucketName: props.siteBucketName,
      region: stack.region,
    });
    const origin = origins.S3BucketOrigin.withOriginAccessControl(siteBucketByName, {
      originAccessControl,
      originAccessLevels: [cloudfront.AccessLevel.READ],
    });

    const responseHeadersPolicy = new cloudfront.ResponseHeadersPolicy(this, 'SecurityHeaders', {
      comment: 'LLM League: CSP, HSTS and the usual security headers',
      securityHeadersBehavior: {
        contentSecurityPolicy: {
          contentSecurityPolicy: props.contentSecurityPolicy ?? CONTENT_SECURITY_POLICY,
          override: true,
        },
        strictTransportSecurity: {
          accessControlMaxAge: Duration.days(730),
          includeSubdomains: true,
          preload: true,
          override: true,
        },
        contentTypeOptions: { override: true },
        frameOptions: { frameOption: cloudfront.HeadersFrameOption.DENY, override: true },
        referrerPolicy: {
          referrerPolicy: cloudfront.HeadersReferrerPolicy.STRICT_ORIGIN_WHEN_CROSS_ORIGIN,
          override: true,
        },
      },
    });
    const dataBehaviors: Record<string, cloudfront.BehaviorOptions> = {};
    if (publishedData !== false) {
      const dataCachePolicy = new cloudfront.CachePolicy(this, 'DataCachePolicy', {
        comment: 'LLM League published boards: fresh within a minute',
        minTtl: Duration.seconds(0),
        defaultTtl: Duration.seconds(30),
        maxTtl: Duration.seconds(60),
        enableAcceptEncodingGzip: true,
        enableAcceptEncodingBrotli: true,
      });
      dataBehaviors[`/${publishedData}/*`] = {
        origin,
        viewerProtocolPolicy: cloudfront.ViewerProtocolPolicy.REDIRECT_TO_HTTPS,
        allowedMethods: cloudfront.AllowedMethods.ALLOW_GET_HEAD,
        compress: true,
        cachePolicy: dataCachePolicy,
        responseHeadersPolicy,
      };
    }

    const certificate = props.customDomain
      ? acm.Certificate.fromCertificateArn(this, 'Certificate', props.customDomain.certificateArn)
      : undefined;
    this.distribution = new cloudfront.Distribution(this, 'Distribution', {
      comment: props.siteName ?? 'LLM League public leaderboard',
      defaultRootObject: 'index.html',
      defaultBehavior: {
        origin,
        viewerProtocolPolicy: cloudfront.ViewerProtocolPolicy.REDIRECT_TO_HTTPS,
        allowedMethods: cloudfront.AllowedMethods.ALLOW_GET_HEAD,
        compress: true,
        cachePolicy: cloudfront.CachePolicy.CACHING_OPTIMIZED,
        responseHeadersPolicy,
      },
      additionalBehaviors: dataBehaviors,
      // With OAC and no s3:ListBucket, S3 answers a missing key with 403, so both codes fall back.
      ...(props.singlePageApp
        ? {
            errorResponses: [403, 404].map((httpStatus) => ({
              httpStatus,
              responseHttpStatus: 200,
              responsePagePath: '/index.html',
              ttl: Duration.seconds(0),
            })),
          }
        : {}),
      httpVersion: cloudfront.HttpVersion.HTTP2_AND_3,
      enableLogging: true,
      logBucket: props.logBucket,
      logFilePrefix: 'cloudfront/',
      // A minimum TLS version only applies with a custom certificate: CloudFront's default
      // certificate (*.cloudfront.net) always accepts TLSv1 (see the CFR4 acknowledgement).
      ...(props.customDomain && certificate
        ? {
            domainNames: [props.customDomain.domainName],
            certificate,
            minimumProtocolVersion: cloudfront.SecurityPolicyProtocol.TLS_V1_2_2021,
            sslSupportMethod: cloudfront.SSLMethod.SNI,
          }
        : {}),
    });

    const onlyThisDistribution = { StringEquals: { 'AWS:SourceArn': this.distribution.distributionArn } };
    props.siteBucket.addToResourcePolicy(
      new iam.PolicyStatement({
        sid: 'AllowCloudFrontOacRead',
        principals: [new iam.ServicePrincipal('cloudfront.amazonaws.com')],
        actions: ['s3:GetObject'],
        resources: [props.siteBucket.arnForObjects('*')],
        conditions: onlyThisDistribution,
      }),
    );
    props.key.addToResourcePolicy(
      new iam.PolicyStatement({
        sid: 'AllowCloudFrontOacDecryptSite',
        principals: [new iam.ServicePrincipal('cloudfront.amazonaws.com')],
        actions: ['kms:Decrypt'],
        resources: ['*'],
        conditions: onlyThisDistribution,
      }),
    );

    acknowledge(
      this,
      '@aws-cdk/aws-cloudfront-origins:updateImportedBucketPolicyOac',
      "The OAC bucket policy (and the key policy) are added to the site bucket and the key directly in PublicSite, scoped to this distribution's ARN; the origin only names the bucket by name to avoid a dependency cycle.",
    );
    acknowledge(
      this.distribution,
      'AwsSolutions-CFR1',
      props.geoRestrictionReason ??
        'A public, global leaderboard: there is no country to exclude, and the site serves only published results.',
    );
    acknowledge(
      this.distribution,
      'AwsSolutions-CFR2',
      'WAF is optional here: the distribution serves static, read-only files from a private bucket through OAC, cached at the edge (CloudFront absorbs floods of GETs; AWS Shield Standard applies). A web ACL (about $5/month plus per-request fees) adds rate limiting and bot control; attach one with webAclId if the event draws abuse.',
    );
    if (!props.customDomain) {
      acknowledge(
        this.distribution,
        'AwsSolutions-CFR4',
        'The distribution uses the default *.cloudfront.net certificate, with which CloudFront fixes the security policy at TLSv1 (the HTTPS redirect still applies). A TLS 1.2 minimum (TLSv1.2_2021, set by this stack) needs a custom domain and an ACM certificate in us-east-1: pass customDomain to the stack.',
      );
    }

    this.deployment = existsSync(props.assetsPath) ? this.deploySite(props, publishedData) : undefined;
  }

  /**
   * Deploys a file with the build, e.g. a runtime config made of deploy-time values
   * (`Source.jsonData`); nothing to do while there is no build to deploy it with.
   */
  addSource(source: s3deploy.ISource): void {
    this.deployment?.addSource(source);
  }

  /** Uploads the built site, keeping the published data (written by the functions) out of the sync and the prune. */
  private deploySite(props: PublicSiteProps, publishedData: string | false): s3deploy.BucketDeployment {
    const logGroup = new logs.LogGroup(this, 'DeploymentLogs', { retention: logs.RetentionDays.ONE_MONTH });
    const role = new iam.Role(this, 'DeploymentRole', {
      assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com'),
      description: props.siteName
        ? `LLM League: uploads the ${props.siteName} build to its bucket`
        : 'LLM League: uploads the public site build to the site bucket',
    });
    logGroup.grantWrite(role);
    const deployment = new s3deploy.BucketDeployment(this, 'Deployment', {
      sources: [s3deploy.Source.asset(props.assetsPath)],
      destinationBucket: props.siteBucket,
      ...(publishedData === false ? {} : { exclude: [`${publishedData}/*`] }),
      prune: true,
      distribution: this.distribution,
      distributionPaths: ['/*'],
      role,
      logGroup,
      memoryLimit: 512,
    });
    for (const action of [
      's3:GetObject*',
      's3:GetBucket*',
      's3:List*',
      's3:DeleteObject*',
      's3:Abort*',
      'kms:ReEncrypt*',
      'kms:GenerateDataKey*',
    ]) {
      acknowledge(
        role,
        wildcardActionFinding(action),
        'CDK BucketDeployment grants: its handler syncs the build into the site bucket (read, write, prune) from the CDK asset bucket; the action families come from grantRead/grantReadWrite and are limited to those two buckets.',
      );
    }
    acknowledge(
      role,
      wildcardResourceFinding(this, props.siteBucket.arnForObjects('*')),
      publishedData === false
        ? 'The deployment syncs the whole site into this one bucket (and prunes what the build no longer has).'
        : `The deployment syncs the whole site (every key outside ${publishedData}/, which is excluded) into this one bucket.`,
    );
    const stack = Stack.of(this);
    const qualifier = stack.synthesizer.bootstrapQualifier ?? DefaultStackSynthesizer.DEFAULT_QUALIFIER;
    acknowledge(
      role,
      wildcardResourceFinding(
        this,
        `arn:${stack.partition}:s3:::cdk-${qualifier}-assets-${stack.account}-${stack.region}/*`,
      ),
      'Read access to the CDK bootstrap asset bucket, where the site build is staged as a zip asset; the asset key is only known at deploy time.',
    );
    acknowledge(
      role,
      'AwsSolutions-IAM5[Resource::*]',
      'cloudfront:CreateInvalidation/GetInvalidation as granted by CDK BucketDeployment for the post-deploy invalidation of this distribution; the role belongs to the deployment handler only and runs only during a deploy.',
    );
    const handler = stack.node.children.find((child) =>
      child.node.id.startsWith('Custom::CDKBucketDeployment'),
    );
    if (!handler) throw new Error('BucketDeployment made no handler function');
    acknowledge(
      handler,
      'AwsSolutions-L1',
      "The BucketDeployment handler is CDK's own Python function (its runtime is chosen by aws-cdk-lib, not by this app) and runs only during deploys; upgrading aws-cdk-lib moves it forward.",
    );
    return deployment;
  }
}
