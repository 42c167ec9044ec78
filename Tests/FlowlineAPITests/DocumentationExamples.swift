/// Requests shaped like the examples in the AppFlow API and CLI documentation, in model member order.
enum DocumentationExamples {
    static let salesforceProfile = """
    {
        "connectorProfileName": "MySalesforceProfile",
        "connectorType": "Salesforce",
        "connectionMode": "Public",
        "connectorProfileConfig": {
            "connectorProfileProperties": {
                "Salesforce": {
                    "instanceUrl": "https://example.my.salesforce.com",
                    "isSandboxEnvironment": false
                }
            },
            "connectorProfileCredentials": {
                "Salesforce": {
                    "accessToken": "00DEXAMPLEaccessTokenValue",
                    "refreshToken": "5AepEXAMPLErefreshTokenValue",
                    "clientCredentialsArn": "arn:aws:secretsmanager:us-east-1:123456789012:secret:sf-client-AbCdEf"
                }
            }
        }
    }
    """

    static let salesforceToS3Flow = """
    {
        "flowName": "salesforce-accounts-to-s3",
        "description": "Copy Salesforce accounts to S3",
        "triggerConfig": {
            "triggerType": "OnDemand"
        },
        "sourceFlowConfig": {
            "connectorType": "Salesforce",
            "connectorProfileName": "MySalesforceProfile",
            "sourceConnectorProperties": {
                "Salesforce": {
                    "object": "Account",
                    "enableDynamicFieldUpdate": false,
                    "includeDeletedRecords": false
                }
            }
        },
        "destinationFlowConfigList": [
            {
                "connectorType": "S3",
                "destinationConnectorProperties": {
                    "S3": {
                        "bucketName": "my-appflow-bucket",
                        "bucketPrefix": "salesforce",
                        "s3OutputFormatConfig": {
                            "fileType": "JSON",
                            "aggregationConfig": {
                                "aggregationType": "None"
                            }
                        }
                    }
                }
            }
        ],
        "tasks": [
            {
                "sourceFields": [],
                "connectorOperator": {
                    "Salesforce": "NO_OP"
                },
                "taskType": "Map_all",
                "taskProperties": {
                    "EXCLUDE_SOURCE_FIELDS_LIST": "[]"
                }
            }
        ],
        "tags": {
            "team": "analytics"
        }
    }
    """

    static let serviceNowProfile = """
    {
        "connectorProfileName": "MyServiceNowProfile",
        "connectorType": "Servicenow",
        "connectionMode": "Public",
        "connectorProfileConfig": {
            "connectorProfileProperties": {
                "ServiceNow": {
                    "instanceUrl": "https://dev12345.service-now.com"
                }
            },
            "connectorProfileCredentials": {
                "ServiceNow": {
                    "username": "admin",
                    "password": "S3cret-ServiceNow-Pass"
                }
            }
        }
    }
    """

    static let sapODataProfile = """
    {
        "connectorProfileName": "MySAPODataProfile",
        "connectorType": "SAPOData",
        "connectionMode": "Public",
        "connectorProfileConfig": {
            "connectorProfileProperties": {
                "SAPOData": {
                    "applicationHostUrl": "https://sap.example.com",
                    "applicationServicePath": "/sap/opu/odata/iwfnd/catalogservice;v=2",
                    "portNumber": 443,
                    "clientNumber": "010",
                    "logonLanguage": "EN"
                }
            },
            "connectorProfileCredentials": {
                "SAPOData": {
                    "basicAuthCredentials": {
                        "username": "sapuser",
                        "password": "S3cret-SAP-Pass"
                    }
                }
            }
        }
    }
    """
}
