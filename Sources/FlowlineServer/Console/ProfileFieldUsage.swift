/// What Flowline itself does with a connector's profile members, beside what the AppFlow model
/// says: members it needs although the model makes them optional (marked required on the form and
/// checked before the request is sent), and members it never reads (left off the form). A member
/// the model requires is always shown, whatever this table says.
///
/// Names are the form's: `properties.instanceUrl`, `credentials.oAuth2Credentials.oAuthRequest`
/// (a structure's name hides all of it). Keep this in step with the connectors' profile reading
/// (`SaaSConnection`, `SAPODataAPI`, `MarketoAPI`, `GoogleAnalyticsAPI`, the Redshift destination).
struct ProfileFieldUsage: Sendable {
    var required: Set<String> = []
    var unused: Set<String> = []

    static func of(_ propertiesKey: String) -> ProfileFieldUsage { table[propertiesKey] ?? ProfileFieldUsage() }

    /// No connector reads an OAuth authorization-code request: Flowline has no browser sign-in flow.
    private static let table: [String: ProfileFieldUsage] = [
        "Salesforce": ProfileFieldUsage(
            required: ["properties.instanceUrl"],
            // Tokens are renewed with Flowline's own connected app (FLOWLINE_SALESFORCE_CLIENT_ID/_SECRET);
            // there is no Secrets Manager to read a client credentials ARN from, and no JWT bearer flow.
            unused: ["properties.usePrivateLinkForMetadataAndAuthorization", "credentials.clientCredentialsArn",
                     "credentials.oAuth2GrantType", "credentials.jwtToken", "credentials.oAuthRequest"]),
        "Zendesk": ProfileFieldUsage(required: ["properties.instanceUrl", "credentials.accessToken"], unused: ["credentials.oAuthRequest"]),
        "Slack": ProfileFieldUsage(required: ["properties.instanceUrl", "credentials.accessToken"], unused: ["credentials.oAuthRequest"]),
        "Marketo": ProfileFieldUsage(required: ["properties.instanceUrl"], unused: ["credentials.oAuthRequest"]),
        "ServiceNow": ProfileFieldUsage(required: ["properties.instanceUrl"], unused: ["credentials.oAuth2Credentials.oAuthRequest"]),
        "GoogleAnalytics": ProfileFieldUsage(unused: ["credentials.oAuthRequest"]),
        "SAPOData": ProfileFieldUsage(
            required: ["properties.applicationHostUrl", "properties.applicationServicePath", "properties.clientNumber"],
            unused: ["properties.privateLinkServiceName", "properties.disableSSO", "credentials.oAuthCredentials.oAuthRequest"]),
        // bucketName and roleArn are required by the model, so they stay (accepted, unused: there is no S3 → Redshift COPY hop).
        "Redshift": ProfileFieldUsage(
            required: ["properties.databaseUrl", "credentials.username", "credentials.password"],
            unused: ["properties.bucketPrefix", "properties.dataApiRoleArn", "properties.isRedshiftServerless",
                     "properties.clusterIdentifier", "properties.workgroupName"]),
    ]
}
