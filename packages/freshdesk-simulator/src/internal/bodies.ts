// the API's error bodies (freshdesk-api.md section 5): validation list, request
// error, base error

export interface FieldError {
  readonly field: string
  readonly message: string
  readonly code: string
}

export const validation = (errors: ReadonlyArray<FieldError>): unknown => ({
  description: "Validation failed",
  errors
})

export const unexpectedField = (field: string): FieldError => ({
  field,
  message: "Unexpected/invalid field in request",
  code: "invalid_field"
})

type Names = ReadonlyArray<string>

export const notOneOf = (field: string, allowed: Names, code = "invalid_value"): FieldError => ({
  field,
  message: `It should be one of these values: '${allowed.join(",")}'`,
  code
})

export const invalidDate = (field: string): FieldError => ({
  field,
  message: "It should be in the 'valid date' format",
  code: "invalid_date"
})

export const notPositiveInteger = (field: string): FieldError => ({
  field,
  message: "It should be a/an Positive Integer",
  code: "datatype_mismatch"
})

export const notBoolean = (field: string): FieldError => ({
  field,
  message: "It should be a/an Boolean",
  code: "datatype_mismatch"
})

export const ticketPageCap: FieldError = {
  field: "page",
  message: "You cannot access tickets beyond the 300th page. Please provide a smaller page number.",
  code: "invalid_value"
}

export const perPageTooLarge: FieldError = {
  field: "per_page",
  message: "It should be a/an Positive Integer less than or equal to 100",
  code: "invalid_value"
}

export const invalidCredentials = {
  code: "invalid_credentials",
  message: "You have to be logged in to perform this action."
}

export const accessDenied = {
  code: "access_denied",
  message: "You are not authorized to perform this action."
}

const featureNames: Readonly<Record<string, string>> = {
  products: "Multi Product",
  time_entries: "Timesheets",
  agents: "Agents",
  ticket_fields: "Ticket Fields"
}

export const requireFeature = (endpoint: string): unknown => ({
  code: "require_feature",
  message:
    `The ${featureNames[endpoint] ?? "Requested"} feature(s) is/are not supported ` +
    "in your plan. Please upgrade your account to use it."
})

export const rateLimited = { message: "You have exceeded the limit of requests per hour" }

export const internalError = { message: "We're sorry, but something went wrong." }

export const serviceUnavailable = {
  message: "Service Unavailable. Please try again after some time."
}

export const badGatewayHtml = [
  "<html>",
  "<head><title>502 Bad Gateway</title></head>",
  "<body>",
  "<center><h1>502 Bad Gateway</h1></center>",
  "</body>",
  "</html>",
  ""
].join("\r\n")

export const methodNotAllowed = {
  message: "GET method is allowed. POST, PUT and DELETE are not supported here."
}
