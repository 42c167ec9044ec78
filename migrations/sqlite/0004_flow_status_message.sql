-- Flowline metadata store, schema version 4: why a flow is in its status.
-- flow_status_message: set when the server suspends a flow after flowErrorDeactivationThreshold
-- failed runs in a row (describe-flow's flowStatusMessage); cleared when the status is set again.

ALTER TABLE flows ADD COLUMN flow_status_message TEXT;
