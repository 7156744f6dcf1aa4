package dev.budgetmeter.cli.budgets;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.budgetmeter.schemas.BudgetOperation;
import dev.budgetmeter.schemas.ChangeStatus;
import dev.budgetmeter.schemas.BudgetStatus;
import dev.budgetmeter.schemas.Fund;
import dev.budgetmeter.schemas.FundingKind;
import dev.budgetmeter.schemas.SetBudget;
import dev.budgetmeter.schemas.Unit;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class BudgetRequestsTest {

    private static final Instant NOW = Instant.parse("2026-12-03T12:00:00Z");

    @Test
    void the_tenant_is_the_first_level_of_the_scope() {
        assertThat(BudgetRequests.tenantOf("tenant:acme")).isEqualTo("acme");
        assertThat(BudgetRequests.tenantOf("tenant:acme/workspace:prod/agent:bot")).isEqualTo("acme");
    }

    @Test
    void a_scope_without_its_tenant_first_is_refused_with_an_example() {
        for (final String scope : new String[] {"workspace:prod", "tenant:", "tenant:/agent:bot", "", "acme"}) {
            assertThatThrownBy(() -> BudgetRequests.tenantOf(scope)).as(scope)
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("tenant:acme");
        }
    }

    @Test
    void units_are_read_case_insensitively_and_an_unknown_one_lists_the_known_ones() {
        assertThat(BudgetRequests.unit("tokens")).isEqualTo(Unit.TOKENS);
        assertThatThrownBy(() -> BudgetRequests.unit("euros")).hasMessageContaining("USD_MICROCENTS")
                .hasMessageContaining("RISK_POINTS");
    }

    @Test
    void set_carries_the_allocation_overdraft_and_caps_under_the_scopes_tenant() {
        final BudgetOperation set = BudgetRequests.set("op-1", "tenant:acme/agent:bot", Unit.USD_MICROCENTS,
                1_000, 50, 256L, "quarterly", NOW);
        assertThat(set.getOperationId()).isEqualTo("op-1");
        assertThat(set.getTenant()).isEqualTo("acme");
        assertThat(set.getScope()).isEqualTo("tenant:acme/agent:bot");
        assertThat(set.getReason()).isEqualTo("quarterly");
        assertThat(set.getIssuedAt()).isEqualTo(NOW);
        final SetBudget body = (SetBudget) set.getBody();
        assertThat(body.getAllocated()).isEqualTo(1_000);
        assertThat(body.getOverdraftLimit()).isEqualTo(50);
        assertThat(body.getCaps().getMaxTokens()).isEqualTo(256);
    }

    @Test
    void set_without_max_tokens_has_no_caps() {
        final SetBudget body = (SetBudget) BudgetRequests.set("op-1", "tenant:acme", Unit.TOKENS, 10, 0, null, null,
                NOW).getBody();
        assertThat(body.getCaps()).isNull();
    }

    @Test
    void negative_amounts_are_refused_naming_the_flag() {
        assertThatThrownBy(() -> BudgetRequests.set("op", "tenant:acme", Unit.TOKENS, -1, 0, null, null, NOW))
                .hasMessageContaining("--allocated is -1");
        assertThatThrownBy(() -> BudgetRequests.set("op", "tenant:acme", Unit.TOKENS, 1, -2, null, null, NOW))
                .hasMessageContaining("--overdraft-limit is -2");
        assertThatThrownBy(() -> BudgetRequests.fund("op", "tenant:acme", Unit.TOKENS, FundingKind.CREDIT, -3, null,
                null, NOW)).hasMessageContaining("--amount is -3");
    }

    @Test
    void spent_goes_with_reset_spent_only() {
        final Fund reset = (Fund) BudgetRequests.fund("op", "tenant:acme", Unit.TOKENS, FundingKind.RESET_SPENT, 100,
                7L, null, NOW).getBody();
        assertThat(reset.getSpent()).isEqualTo(7);
        assertThatThrownBy(() -> BudgetRequests.fund("op", "tenant:acme", Unit.TOKENS, FundingKind.CREDIT, 100, 7L,
                null, NOW)).hasMessageContaining("RESET_SPENT only");
    }

    @Test
    void a_status_change_carries_the_status() {
        final BudgetOperation freeze = BudgetRequests.status("op", "tenant:acme", Unit.CREDITS, BudgetStatus.FROZEN,
                "incident", NOW);
        assertThat(((ChangeStatus) freeze.getBody()).getStatus()).isEqualTo(BudgetStatus.FROZEN);
        assertThat(freeze.getUnit()).isEqualTo(Unit.CREDITS);
    }
}
