/// Requests in the shape the AWS AppFlow user guide's CLI walkthrough uses, with made-up secrets
/// that tests then look for everywhere they must not appear.
enum Examples {
    static let salesforceAccessToken = "00Dxx-ACCESS-TOKEN-7f3a9c"
    static let salesforceRefreshToken = "5Aep8-REFRESH-TOKEN-c0ffee"
    static let serviceNowPassword = "sn-PASSWORD-d4e5f6"
    static let sapPassword = "sap-PASSWORD-a1b2c3"
    static let secrets = [salesforceAccessToken, salesforceRefreshToken, serviceNowPassword, sapPassword]

    static let salesforceProfileConfig = """
        {
          "connectorProfileProperties": {
            "Salesforce": {"instanceUrl": "https://example.my.salesforce.com", "isSandboxEnvironment": false}
          },
          "connectorProfileCredentials": {
            "Salesforce": {
              "accessToken": "\(salesforceAccessToken)",
              "refreshToken": "\(salesforceRefreshToken)",
              "oAuthRequest": {"authCode": "auth-code-value", "redirectUri": "https://login.salesforce.com/"},
              "clientCredentialsArn": "arn:aws:secretsmanager:us-east-1:123456789012:secret:sf-app-AbCdEf"
            }
          }
        }
        """

    static let serviceNowProfileConfig = """
        {
          "connectorProfileProperties": {"ServiceNow": {"instanceUrl": "https://example.service-now.com"}},
          "connectorProfileCredentials": {"ServiceNow": {"username": "integration", "password": "\(serviceNowPassword)"}}
        }
        """

    /// A whole create-connector-profile request, as `--cli-input-json file://…` takes it.
    static let sapODataProfileRequest = """
        {
          "connectorProfileName": "MySAPConnection",
          "connectorType": "SAPOData",
          "connectionMode": "Public",
          "connectorProfileConfig": {
            "connectorProfileProperties": {
              "SAPOData": {
                "applicationHostUrl": "https://sap.example.com",
                "applicationServicePath": "/sap/opu/odata/sap/API_SALES_ORDER_SRV",
                "portNumber": 443,
                "clientNumber": "100",
                "logonLanguage": "EN"
              }
            },
            "connectorProfileCredentials": {
              "SAPOData": {"basicAuthCredentials": {"username": "sapuser", "password": "\(sapPassword)"}}
            }
          }
        }
        """

    static let onDemandTrigger = #"{"triggerType": "OnDemand"}"#

    static let salesforceSource = """
        {"connectorType": "Salesforce", "connectorProfileName": "MySalesforceConnection",
         "sourceConnectorProperties": {"Salesforce": {"object": "Account", "includeDeletedRecords": false}}}
        """

    static let s3Destination = """
        [{"connectorType": "S3",
          "destinationConnectorProperties": {"S3": {"bucketName": "appflow-output",
            "s3OutputFormatConfig": {"fileType": "JSON", "aggregationConfig": {"aggregationType": "None"}}}}}]
        """

    static let mapAllTasks = """
        [{"sourceFields": [], "connectorOperator": {"Salesforce": "NO_OP"}, "taskType": "Map_all", "taskProperties": {}}]
        """
}
