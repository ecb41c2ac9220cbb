/** The lifecycle status of a commsOperation, always lower camel case once decoded. */
export type OperationStatus = 'notStarted' | 'running' | 'completed' | 'failed'
