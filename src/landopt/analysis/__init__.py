"""Beyond one optimum: near-optimal ranges (:mod:`.ranges`) and alternative plans (:mod:`.alternatives`)."""
