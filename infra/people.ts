/**
 * People (SPEC §8): a Cognito user pool (invited accounts, MFA, federated providers by name), its
 * hosted sign-in, and the web app under /app on the same HTTP API.
 */
import { CfnOutput, Duration, RemovalPolicy, type Stack } from "aws-cdk-lib";
import { HttpMethod } from "aws-cdk-lib/aws-apigatewayv2";
import { HttpLambdaIntegration } from "aws-cdk-lib/aws-apigatewayv2-integrations";
import {
  AccountRecovery,
  type CfnUserPoolClient,
  ClientAttributes,
  FeaturePlan,
  Mfa,
  OAuthScope,
  StandardThreatProtectionMode,
  UserPool,
  UserPoolClient,
  UserPoolClientIdentityProvider,
  UserPoolDomain,
} from "aws-cdk-lib/aws-cognito";
import { SECRET_ENV } from "../shared/adapters/secrets.ts";
import { OIDC_CLIENT_ID_ENV, OIDC_ISSUER_ENV, OIDC_LOGOUT_URL_ENV } from "../shared/web/identity.ts";
import { PROVIDER_SCOPES_ENV, type VouchPolicy } from "../shared/web/vouch.ts";
import type { Api } from "./api.ts";
import type { Data } from "./data.ts";
import { ElevvaktFunction, functionEntry } from "./function.ts";

export interface PeopleProps {
  stage: string;
  providerScopes?: VouchPolicy | undefined;
  authDomainPrefix?: string | undefined;
  identityProviders?: string[] | undefined;
}

export class People {
  readonly userPool: UserPool;
  readonly webClient: UserPoolClient;
  /** The web app's function. */
  readonly web: ElevvaktFunction;

  constructor(stack: Stack, data: Data, api: Api, props: PeopleProps) {
    this.userPool = new UserPool(stack, "People", {
      userPoolName: `elevvakt-${props.stage}`,
      // Accounts are invited (independent schools' rektors with no federated provider); nobody signs up.
      selfSignUpEnabled: false,
      signInAliases: { email: true },
      autoVerify: { email: true },
      // A changed e-mail counts only once verified: nobody becomes a contact by typing its address.
      keepOriginal: { email: true },
      standardAttributes: { email: { required: true, mutable: true }, fullname: { required: false, mutable: true } },
      mfa: Mfa.REQUIRED,
      mfaSecondFactor: { otp: true, sms: false },
      passwordPolicy: {
        minLength: 14,
        requireLowercase: true,
        requireUppercase: true,
        requireDigits: true,
        requireSymbols: true,
        tempPasswordValidity: Duration.days(3),
      },
      accountRecovery: AccountRecovery.EMAIL_ONLY,
      featurePlan: FeaturePlan.PLUS,
      // Threat protection (compromised credentials, adaptive authentication) enforced.
      standardThreatProtectionMode: StandardThreatProtectionMode.FULL_FUNCTION,
      deletionProtection: true,
      removalPolicy: RemovalPolicy.RETAIN,
      userInvitation: {
        emailSubject: "Elevvakt: ditt konto",
        emailBody:
          "Du har fått ett konto i Elevvakt. Användarnamn: {username}. Tillfälligt lösenord: {####}. Logga in och välj en autentiseringsapp för tvåstegsverifiering.",
      },
    });
    const domain = new UserPoolDomain(stack, "PeopleDomain", {
      userPool: this.userPool,
      cognitoDomain: { domainPrefix: props.authDomainPrefix ?? `elevvakt-${props.stage}` },
    });
    this.webClient = new UserPoolClient(stack, "WebClient", {
      userPool: this.userPool,
      userPoolClientName: "elevvakt-web",
      // A public client: authorization code with PKCE, no secret in the function at all.
      generateSecret: false,
      // People may change their name; never their e-mail (it is what makes them a contact).
      readAttributes: new ClientAttributes().withStandardAttributes({ email: true, emailVerified: true, fullname: true }),
      writeAttributes: new ClientAttributes().withStandardAttributes({ fullname: true }),
      oAuth: {
        flows: { authorizationCodeGrant: true },
        scopes: [OAuthScope.OPENID, OAuthScope.EMAIL, OAuthScope.PROFILE],
        callbackUrls: [`${api.appUrl}/app/callback`],
        logoutUrls: [`${api.appUrl}/app/signed-out`],
      },
      // Federated providers (Skolfederation, a municipality's Entra ID): created in the pool once (README), named here.
      supportedIdentityProviders: [
        UserPoolClientIdentityProvider.COGNITO,
        ...(props.identityProviders ?? []).map((name) => UserPoolClientIdentityProvider.custom(name)),
      ],
      preventUserExistenceErrors: true,
      enableTokenRevocation: true,
      idTokenValidity: Duration.hours(1),
      accessTokenValidity: Duration.hours(1),
      refreshTokenValidity: Duration.hours(8),
    });
    // Only the hosted sign-in (code + PKCE): no password, SRP or custom sign-in straight against the pool's API.
    (this.webClient.node.defaultChild as CfnUserPoolClient).explicitAuthFlows = ["ALLOW_REFRESH_TOKEN_AUTH"];
    this.web = new ElevvaktFunction(stack, "WebFunction", {
      entry: functionEntry("web"),
      stage: props.stage,
      environment: {
        ...api.environment,
        // People search by personnummer and issue keys on the keys page.
        [SECRET_ENV.pnr.arn]: data.pepper.secretArn,
        [SECRET_ENV.keys.arn]: data.keyHash.secretArn,
        [OIDC_ISSUER_ENV]: `https://cognito-idp.${stack.region}.amazonaws.com/${this.userPool.userPoolId}`,
        [OIDC_CLIENT_ID_ENV]: this.webClient.userPoolClientId,
        [OIDC_LOGOUT_URL_ENV]: `${domain.baseUrl()}/logout`,
        [PROVIDER_SCOPES_ENV]: JSON.stringify(props.providerScopes ?? { COGNITO: ["*"] }),
      },
      logKey: data.key,
    });
    data.pepper.grantRead(this.web);
    data.keyHash.grantRead(this.web);
    data.grantStore(this.web, "web");
    const webIntegration = new HttpLambdaIntegration("webIntegration", this.web);
    api.api.addRoutes({ path: "/app", methods: [HttpMethod.GET], integration: webIntegration });
    api.api.addRoutes({ path: "/app/{proxy+}", methods: [HttpMethod.ANY], integration: webIntegration });
    new CfnOutput(stack, "WebAppUrl", { value: `${api.appUrl}/app`, description: "Where people sign in (SPEC §8)" });
    new CfnOutput(stack, "UserPoolId", {
      value: this.userPool.userPoolId,
      description: "Invite accounts, add federated providers",
    });
    new CfnOutput(stack, "SignInDomain", { value: domain.baseUrl(), description: "Cognito's hosted sign-in" });
  }
}
