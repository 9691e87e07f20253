/** Getting changes out: the catch-up API over the change log and its live Server-Sent Events stream. */
@org.jspecify.annotations.NullMarked
package io.contactmirror.feed;
