#!/bin/sh
# Regenerates docs/rfc9293-compliance.md from docs/rfc9293-requirements.tsv and the @Rfc9293 tags
# on tests (RFC 9293 compliance table). Run from anywhere; needs Maven and a JDK 17+.
set -eu
cd "$(dirname "$0")/../.."
exec mvn -q -B -Dtest=Rfc9293ComplianceReportTest -Dtuntcp.regenerate=true -Dsurefire.failIfNoSpecifiedTests=false test
