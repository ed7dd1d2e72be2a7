0000000000000560 <fg_decide>:
 560:	movabs $0x200000000,%rdx
 56a:	push   %r15
 56c:	push   %r14
 56e:	push   %r13
 570:	mov    %rsi,%r13
 573:	push   %r12
 575:	mov    %rdi,%r12
 578:	push   %rbp
 579:	push   %rbx
 57a:	sub    $0x30,%rsp
 57e:	mov    %gs:0x28,%rax
 587:	mov    %rax,0x28(%rsp)
 58c:	mov    (%rdi),%rax
 58f:	movq   $0x0,0x8(%rsp)
 598:	and    %rax,%rdx
 59b:	and    $0x10000,%eax
 5a0:	mov    %rax,%rbp
 5a3:	mov    0x0(%rip),%eax        # 5a9 <fg_decide+0x49>
			5a5: R_X86_64_PC32	.bss-0x4
 5a9:	setne  %r14b
 5ad:	test   %eax,%eax
 5af:	jne    658 <fg_decide+0xf8>
 5b5:	test   %rbp,%rbp
 5b8:	jne    634 <fg_decide+0xd4>
 5ba:	mov    %gs:0x0(%rip),%r15        # 5c2 <fg_decide+0x62>
			5be: R_X86_64_PC32	const_pcpu_hot-0x4
 5c2:	movzbl %r14b,%r14d
 5c6:	test   %rdx,%rdx
 5c9:	jne    73a <fg_decide+0x1da>
 5cf:	mov    0xe00(%r15),%rax
 5d6:	lea    0x10(%rsp),%rbp
 5db:	lea    0x8(%rsp),%rdx
 5e0:	mov    %r14d,%esi
 5e3:	mov    %rbp,%rcx
 5e6:	mov    0x80(%rax),%r12
 5ed:	mov    %r12,%rdi
 5f0:	call   5f5 <fg_decide+0x95>
			5f1: R_X86_64_PLT32	fg_policy_charge-0x4
 5f5:	mov    0xca0(%r15),%rcx
 5fc:	cmp    %rcx,0xca8(%r15)
 603:	je     7a2 <fg_decide+0x242>
 609:	test   %eax,%eax
 60b:	jne    644 <fg_decide+0xe4>
 60d:	mov    0x28(%rsp),%rax
 612:	sub    %gs:0x28,%rax
 61b:	jne    830 <fg_decide+0x2d0>
 621:	add    $0x30,%rsp
 625:	pop    %rbx
 626:	pop    %rbp
 627:	pop    %r12
 629:	pop    %r13
 62b:	pop    %r14
 62d:	pop    %r15
 62f:	jmp    634 <fg_decide+0xd4>
			630: R_X86_64_PLT32	__x86_return_thunk-0x4
 634:	mov    0x0(%rip),%eax        # 63a <fg_decide+0xda>
			636: R_X86_64_PC32	fg_ntasks-0x4
 63a:	test   %eax,%eax
 63c:	jg     5ba <fg_decide+0x5a>
 642:	jmp    60d <fg_decide+0xad>
 644:	mov    0x8(%rsp),%rdx
 649:	mov    %r13,%rcx
 64c:	mov    %rbp,%rsi
 64f:	mov    %eax,%edi
 651:	call   30 <fg_act>
 656:	jmp    60d <fg_decide+0xad>
 658:	mov    %rdx,(%rsp)
 65c:	call   661 <fg_decide+0x101>
			65d: R_X86_64_PLT32	__rcu_read_lock-0x4
 661:	mov    %gs:0x0(%rip),%rax        # 669 <fg_decide+0x109>
			665: R_X86_64_PC32	const_pcpu_hot-0x4
 669:	mov    (%rsp),%rdx
 66d:	movabs $0x61c8864680b583eb,%rcx
 677:	imul   %rax,%rcx
 67b:	shr    $0x38,%rcx
 67f:	mov    0x0(,%rcx,8),%rbx
			683: R_X86_64_32S	.bss+0x20
 687:	test   %rbx,%rbx
 68a:	jne    69d <fg_decide+0x13d>
 68c:	jmp    7da <fg_decide+0x27a>
 691:	mov    (%rbx),%rbx
 694:	test   %rbx,%rbx
 697:	je     7da <fg_decide+0x27a>
 69d:	cmp    0x10(%rbx),%rax
 6a1:	jne    691 <fg_decide+0x131>
 6a3:	mov    0xad8(%rax),%rcx
 6aa:	cmp    %rcx,0x18(%rbx)
 6ae:	jne    691 <fg_decide+0x131>
 6b0:	mov    $0x0,%rdi
			6b3: R_X86_64_32S	.bss+0x4
 6b7:	mov    %rdx,(%rsp)
 6bb:	call   6c0 <fg_decide+0x160>
			6bc: R_X86_64_PLT32	_raw_spin_lock-0x4
 6c0:	mov    0x8(%rbx),%rax
 6c4:	mov    (%rsp),%rdx
 6c8:	test   %rax,%rax
 6cb:	je     7bc <fg_decide+0x25c>
 6d1:	mov    (%rbx),%rdx
 6d4:	mov    %rdx,(%rax)
 6d7:	test   %rdx,%rdx
 6da:	je     6e0 <fg_decide+0x180>
 6dc:	mov    %rax,0x8(%rdx)
 6e0:	movq   $0x0,0x8(%rbx)
 6e8:	lock decl 0x0(%rip)        # 6ef <fg_decide+0x18f>
			6eb: R_X86_64_PC32	.bss-0x4
 6ef:	mov    $0x0,%rdi
			6f2: R_X86_64_32S	.bss+0x4
 6f6:	call   6fb <fg_decide+0x19b>
			6f7: R_X86_64_PLT32	_raw_spin_unlock-0x4
 6fb:	call   700 <fg_decide+0x1a0>
			6fc: R_X86_64_PLT32	__rcu_read_unlock-0x4
 700:	lea    0x28(%rbx),%rdi
 704:	mov    %rbx,%rsi
 707:	mov    0x20(%rbx),%rbp
 70b:	call   710 <fg_decide+0x1b0>
			70c: R_X86_64_PLT32	kvfree_call_rcu-0x4
 710:	incq   %gs:0x0(%rip)        # 718 <fg_decide+0x1b8>
			714: R_X86_64_PC32	fg_stats+0x34
 718:	call   71d <fg_decide+0x1bd>
			719: R_X86_64_PLT32	ktime_get-0x4
 71d:	cmp    %rbp,%rax
 720:	jae    60d <fg_decide+0xad>
 726:	mov    %rbp,0x68(%r13)
 72a:	movq   $0x0,0x80(%r13)
			731: R_X86_64_32S	.text+0x400
 735:	jmp    60d <fg_decide+0xad>
 73a:	mov    %r12,%rdi
 73d:	call   260 <fg_fork_cgroup>
 742:	mov    %r14d,%esi
 745:	lea    0x10(%rsp),%rbp
 74a:	lea    0x8(%rsp),%rdx
 74f:	mov    %rax,%rdi
 752:	mov    %rax,%r12
 755:	mov    %rbp,%rcx
 758:	call   75d <fg_decide+0x1fd>
			759: R_X86_64_PLT32	fg_policy_charge-0x4
 75d:	mov    0xca8(%r15),%rcx
 764:	cmp    %rcx,0xca0(%r15)
 76b:	je     7ec <fg_decide+0x28c>
 76d:	testb  $0x1,0x54(%r12)
 773:	jne    609 <fg_decide+0xa9>
 779:	mov    %eax,(%rsp)
 77c:	call   781 <fg_decide+0x221>
			77d: R_X86_64_PLT32	__rcu_read_lock-0x4
 781:	mov    0x10(%r12),%rdx
 786:	mov    (%rsp),%eax
 789:	test   $0x3,%dl
 78c:	jne    806 <fg_decide+0x2a6>
 78e:	decq   %gs:(%rdx)
 792:	mov    %eax,(%rsp)
 795:	call   79a <fg_decide+0x23a>
			796: R_X86_64_PLT32	__rcu_read_unlock-0x4
 79a:	mov    (%rsp),%eax
 79d:	jmp    609 <fg_decide+0xa9>
 7a2:	mov    %rbp,%r8
 7a5:	lea    0x8(%rsp),%rcx
 7aa:	mov    %eax,%edx
 7ac:	mov    %r14d,%esi
 7af:	mov    %r12,%rdi
 7b2:	call   7b7 <fg_decide+0x257>
			7b3: R_X86_64_PLT32	__fg_lineage_charge-0x4
 7b7:	jmp    609 <fg_decide+0xa9>
 7bc:	mov    $0x0,%rdi
			7bf: R_X86_64_32S	.bss+0x4
 7c3:	mov    %rdx,(%rsp)
 7c7:	call   7cc <fg_decide+0x26c>
			7c8: R_X86_64_PLT32	_raw_spin_unlock-0x4
 7cc:	call   7d1 <fg_decide+0x271>
			7cd: R_X86_64_PLT32	__rcu_read_unlock-0x4
 7d1:	mov    (%rsp),%rdx
 7d5:	jmp    5b5 <fg_decide+0x55>
 7da:	mov    %rdx,(%rsp)
 7de:	call   7e3 <fg_decide+0x283>
			7df: R_X86_64_PLT32	__rcu_read_unlock-0x4
 7e3:	mov    (%rsp),%rdx
 7e7:	jmp    5b5 <fg_decide+0x55>
 7ec:	mov    %rbp,%r8
 7ef:	lea    0x8(%rsp),%rcx
 7f4:	mov    %eax,%edx
 7f6:	mov    %r14d,%esi
 7f9:	mov    %r12,%rdi
 7fc:	call   801 <fg_decide+0x2a1>
			7fd: R_X86_64_PLT32	__fg_lineage_charge-0x4
 801:	jmp    76d <fg_decide+0x20d>
 806:	mov    0x18(%r12),%rdx
 80b:	lock subq $0x1,(%rdx)
 810:	jne    792 <fg_decide+0x232>
 812:	mov    0x18(%r12),%rdx
 817:	mov    %eax,(%rsp)
 81a:	lea    0x10(%r12),%rdi
 81f:	mov    0x8(%rdx),%rdx
 823:	call   828 <fg_decide+0x2c8>
			824: R_X86_64_PLT32	__x86_indirect_thunk_rdx-0x4
 828:	mov    (%rsp),%eax
 82b:	jmp    792 <fg_decide+0x232>
 830:	call   835 <fg_decide+0x2d5>
			831: R_X86_64_PLT32	__stack_chk_fail-0x4
 835:	data16 cs nopw 0x0(%rax,%rax,1)
 840:	nop
 841:	nop
 842:	nop
 843:	nop
 844:	nop
 845:	nop
 846:	nop
 847:	nop
 848:	nop
 849:	nop
 84a:	nop
 84b:	nop
 84c:	nop
 84d:	nop
 84e:	nop
 84f:	nop

