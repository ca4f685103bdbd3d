package tfimport

func (b *builder) buildEndpoints()     {}
func (b *builder) buildLoadBalancers() {}
func (b *builder) buildRoute53()       {}
