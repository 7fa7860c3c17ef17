package dev.tuntcp.testing;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Marks a test whose assertions prove one or more numbered requirements of RFC 9293 (Appendix B
 * identifiers such as {@code MUST-10}, {@code SHLD-5}, {@code MAY-2}, {@code REC-1}). Put it only
 * where the test really checks the rule: {@code docs/rfc9293-compliance.md} is generated from these
 * tags and {@code docs/rfc9293-requirements.tsv}, and {@link Rfc9293ComplianceReportTest} fails on an
 * unknown identifier, on a stale report, and on a requirement marked covered that no test carries.
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.METHOD)
public @interface Rfc9293 {
    /** The requirement identifiers this test proves, e.g. {@code {"MUST-10", "SHLD-5"}}. */
    String[] value();
}
