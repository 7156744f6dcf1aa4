package dev.budgetmeter.topology.lifecycle;

import dev.budgetmeter.schemas.Pricing;
import dev.budgetmeter.topology.rules.FieldLimits;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.apache.kafka.common.config.ConfigException;

/**
 * Per-token prices by action name, for reservations whose Reserve carries no pricing. Immutable.
 *
 * <p>Text form: {@code name=input_price:output_price} entries separated by commas, for example
 * {@code gpt-4o=250:1000,gpt-4o-mini=15:60}; prices are integers in the estimate's unit, 0 to
 * {@link FieldLimits#MAX_TOKEN_PRICE}.
 */
public final class PriceTable {

    private static final PriceTable EMPTY = new PriceTable(Map.of());

    private final Map<String, Pricing> byActionName;

    private PriceTable(final Map<String, Pricing> byActionName) {
        this.byActionName = Map.copyOf(byActionName);
    }

    public static PriceTable empty() {
        return EMPTY;
    }

    /** Parses the text form; throws a {@link ConfigException} naming the entry that is malformed. */
    public static PriceTable parse(final String text) {
        if (text == null || text.isBlank()) {
            return EMPTY;
        }
        final Map<String, Pricing> prices = Stream.of(text.split(","))
                .map(String::trim)
                .filter(entry -> !entry.isEmpty())
                .map(PriceTable::parseEntry)
                .collect(Collectors.toMap(Map.Entry::getKey, Map.Entry::getValue, (a, b) -> {
                    throw new ConfigException("metering.price.table names an action twice: " + text);
                }));
        return new PriceTable(prices);
    }

    private static Map.Entry<String, Pricing> parseEntry(final String entry) {
        final String[] nameAndPrices = entry.split("=", 2);
        final String[] prices = nameAndPrices.length == 2 ? nameAndPrices[1].split(":", 2) : new String[0];
        if (nameAndPrices[0].isBlank() || prices.length != 2) {
            throw new ConfigException("metering.price.table entry '" + entry + "' is not name=input_price:output_price");
        }
        final Function<String, Long> price = value -> {
            try {
                final long parsed = Long.parseLong(value.trim());
                if (parsed < 0 || parsed > FieldLimits.MAX_TOKEN_PRICE) {
                    throw new NumberFormatException("out of range");
                }
                return parsed;
            } catch (NumberFormatException e) {
                throw new ConfigException("metering.price.table entry '" + entry + "': '" + value + "' is not a price in 0.."
                        + FieldLimits.MAX_TOKEN_PRICE);
            }
        };
        return Map.entry(nameAndPrices[0].trim(), new Pricing(price.apply(prices[0]), price.apply(prices[1])));
    }

    /** The prices of an action name, if the table has them. */
    public Optional<Pricing> forAction(final String actionName) {
        return Optional.ofNullable(byActionName.get(actionName));
    }

    @Override
    public String toString() {
        return byActionName.entrySet().stream()
                .map(e -> e.getKey() + "=" + e.getValue().getInputTokenPrice() + ":" + e.getValue().getOutputTokenPrice())
                .sorted()
                .collect(Collectors.joining(","));
    }
}
