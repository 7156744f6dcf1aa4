/**
 * The worker's side of Budget Meter: each streaming LLM call becomes events on the stream-events topic instead of
 * synchronous reserve, extend, commit and release calls to a budget server.
 *
 * <ul>
 *   <li>{@link dev.budgetmeter.producer.BudgetMeter} (one per process, shared by every thread) opens
 *       {@link dev.budgetmeter.producer.MeteredStream}s: Reserve, then chunks, usage, and one End, in order, keyed by
 *       the reservation id, with a contiguous {@code seq}.</li>
 *   <li>A {@link dev.budgetmeter.producer.StreamReservation} says who spends
 *       ({@link dev.budgetmeter.producer.Subject}), on what, the worst case
 *       ({@link dev.budgetmeter.producer.Amount}) and, when an external authority granted it, its
 *       {@link dev.budgetmeter.producer.Caps}; optional {@link dev.budgetmeter.producer.Pricing}.</li>
 *   <li>Failures are explicit: {@link dev.budgetmeter.producer.DeliveryFailedException} thrown or carried by the
 *       terminal futures, the {@link dev.budgetmeter.producer.DeliveryListener}, and
 *       {@link dev.budgetmeter.producer.MeterMetrics}.</li>
 * </ul>
 *
 * <p>{@code dev.budgetmeter.producer.example.StreamingWorkerExample} shows a worker end to end. Nothing here exposes
 * Avro or the internal package; the event contract is {@code StreamEvent.avsc} in the schemas module. The meter's
 * stream handling (order, locks, delivery outcomes) is here too, package-private, because it speaks in this package's
 * types; what it hands to {@code dev.budgetmeter.producer.internal} is numbers, strings and the Avro records.
 */
package dev.budgetmeter.producer;
