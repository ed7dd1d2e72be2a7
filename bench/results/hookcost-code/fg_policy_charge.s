00000000000027d0 <fg_policy_charge>:
    27d0:	endbr64
    27d4:	push   %rbp
    27d5:	mov    $0x3f,%eax
    27da:	mov    %rsp,%rbp
    27dd:	push   %r15
    27df:	push   %r14
    27e1:	mov    %rcx,%r14
    27e4:	push   %r13
    27e6:	mov    %rdi,%r13
    27e9:	push   %r12
    27eb:	push   %rbx
    27ec:	sub    $0x8,%rsp
    27f0:	mov    0x0(%rip),%rdi        # 27f7 <fg_policy_charge+0x27>
    27f7:	movq   $0x0,(%rcx)
    27fe:	mov    0xd8(%r13),%ecx
    2805:	cmp    %eax,%ecx
    2807:	cmovg  %eax,%ecx
    280a:	mov    $0x2,%eax
    280f:	shl    %cl,%rax
    2812:	sub    $0x1,%rax
    2816:	and    %rdi,%rax
    2819:	je     2963 <fg_policy_charge+0x193>
    281f:	bsr    %rax,%r12
    2823:	cmp    $0x3e,%r12d
    2827:	jg     2978 <fg_policy_charge+0x1a8>
    282d:	lea    -0x1(%rax),%rcx
    2831:	test   %rax,%rcx
    2834:	jne    2978 <fg_policy_charge+0x1a8>
    283a:	movslq %r12d,%rax
    283d:	mov    0x8e8(%r13,%rax,8),%rcx
    2845:	add    $0x40,%rax
    2849:	mov    0x0(,%rax,8),%rbx
    2851:	test   %rbx,%rbx
    2854:	je     285c <fg_policy_charge+0x8c>
    2856:	cmp    0x40(%rbx),%rcx
    285a:	je     289d <fg_policy_charge+0xcd>
    285c:	mov    0x100(%rcx),%rax
    2863:	movabs $0x61c8864680b583eb,%rcx
    286d:	mov    0x60(%rax),%rax
    2871:	imul   %rax,%rcx
    2875:	shr    $0x34,%rcx
    2879:	mov    0x0(,%rcx,8),%rbx
    2881:	test   %rbx,%rbx
    2884:	jne    2897 <fg_policy_charge+0xc7>
    2886:	jmp    2963 <fg_policy_charge+0x193>
    288b:	mov    (%rbx),%rbx
    288e:	test   %rbx,%rbx
    2891:	je     2963 <fg_policy_charge+0x193>
    2897:	cmp    0x48(%rbx),%rax
    289b:	jne    288b <fg_policy_charge+0xbb>
    289d:	movzbl 0x59(%rbx),%eax
    28a1:	test   %al,%al
    28a3:	je     2963 <fg_policy_charge+0x193>
    28a9:	test   %sil,%sil
    28ac:	je     28ba <fg_policy_charge+0xea>
    28ae:	movzbl 0x5a(%rbx),%eax
    28b2:	test   %al,%al
    28b4:	je     2963 <fg_policy_charge+0x193>
    28ba:	mov    (%rdx),%r15
    28bd:	test   %r15,%r15
    28c0:	je     29d8 <fg_policy_charge+0x208>
    28c6:	cmpb   $0x0,0x58(%rbx)
    28ca:	jne    29f0 <fg_policy_charge+0x220>
    28d0:	lea    0x88(%rbx),%r12
    28d7:	mov    0x10(%r12),%rdx
    28dc:	mov    %r15,%rax
    28df:	sub    %rdx,%rax
    28e2:	cmp    $0x5f5e0ff,%rax
    28e8:	ja     2a7c <fg_policy_charge+0x2ac>
    28ee:	mov    0x18(%r12),%ecx
    28f3:	mov    $0x1,%edx
    28f8:	lock xadd %edx,0x44(%r12)
    28ff:	add    $0x1,%edx
    2902:	mov    0x48(%r12),%eax
    2907:	lock incl 0x1c(%r12,%rcx,4)
    290d:	cmp    %eax,%edx
    290f:	jle    291a <fg_policy_charge+0x14a>
    2911:	lock cmpxchg %edx,0x48(%r12)
    2918:	jne    290d <fg_policy_charge+0x13d>
    291a:	mov    0x58(%r12),%rcx
    291f:	test   %rcx,%rcx
    2922:	je     2995 <fg_policy_charge+0x1c5>
    2924:	mov    0x60(%r12),%rdi
    2929:	mov    (%r12),%rax
    292d:	cmp    %r15,%rax
    2930:	mov    %r15,%rdx
    2933:	cmovae %rax,%rdx
    2937:	mov    %rdx,%rsi
    293a:	sub    %r15,%rsi
    293d:	cmp    %rsi,%rdi
    2940:	jb     2995 <fg_policy_charge+0x1c5>
    2942:	add    %rcx,%rdx
    2945:	lock cmpxchg %rdx,(%r12)
    294b:	jne    292d <fg_policy_charge+0x15d>
    294d:	lock incq 0x50(%r12)
    2953:	incq   %gs:0x0(%rip)        # 295b <fg_policy_charge+0x18b>
    295b:	incq   %gs:0x0(%rip)        # 2963 <fg_policy_charge+0x193>
    2963:	xor    %eax,%eax
    2965:	add    $0x8,%rsp
    2969:	pop    %rbx
    296a:	pop    %r12
    296c:	pop    %r13
    296e:	pop    %r14
    2970:	pop    %r15
    2972:	pop    %rbp
    2973:	jmp    2978 <fg_policy_charge+0x1a8>
    2978:	add    $0x8,%rsp
    297c:	mov    %r14,%rcx
    297f:	mov    %r13,%rdi
    2982:	movzbl %sil,%esi
    2986:	pop    %rbx
    2987:	pop    %r12
    2989:	pop    %r13
    298b:	pop    %r14
    298d:	pop    %r15
    298f:	pop    %rbp
    2990:	jmp    1fd0 <fg_policy_charge_chain.constprop.0>
    2995:	mov    %r15,%rsi
    2998:	mov    %r14,%rcx
    299b:	mov    %r13,%rdx
    299e:	mov    %r12,%rdi
    29a1:	call   2b0 <fg_bucket_charge_slow>
    29a6:	mov    %eax,%esi
    29a8:	test   %eax,%eax
    29aa:	je     2953 <fg_policy_charge+0x183>
    29ac:	mov    0x100(%r13),%rax
    29b3:	mov    %r14,%r9
    29b6:	mov    %rdx,%rcx
    29b9:	mov    %rbx,%rdi
    29bc:	mov    %esi,%edx
    29be:	mov    %r12,%rsi
    29c1:	mov    0x60(%rax),%r8
    29c5:	add    $0x8,%rsp
    29c9:	pop    %rbx
    29ca:	pop    %r12
    29cc:	pop    %r13
    29ce:	pop    %r14
    29d0:	pop    %r15
    29d2:	pop    %rbp
    29d3:	jmp    50 <fg_policy_verdict>
    29d8:	mov    %rdx,(%rsp)
    29dc:	call   29e1 <fg_policy_charge+0x211>
    29e1:	mov    (%rsp),%rdx
    29e5:	mov    %rax,%r15
    29e8:	mov    %rax,(%rdx)
    29eb:	jmp    28c6 <fg_policy_charge+0xf6>
    29f0:	cmp    0xd8(%r13),%r12d
    29f7:	jge    2963 <fg_policy_charge+0x193>
    29fd:	lea    0x1(%r12),%eax
    2a02:	cltq
    2a04:	mov    0x8e8(%r13,%rax,8),%rcx
    2a0c:	test   %rcx,%rcx
    2a0f:	je     2963 <fg_policy_charge+0x193>
    2a15:	mov    0x100(%rcx),%rax
    2a1c:	movabs $0x61c8864680b583eb,%rdx
    2a26:	mov    0x60(%rax),%rax
    2a2a:	imul   %rax,%rdx
    2a2e:	shr    $0x34,%rdx
    2a32:	mov    0x0(,%rdx,8),%r12
    2a3a:	test   %r12,%r12
    2a3d:	jne    2a4a <fg_policy_charge+0x27a>
    2a3f:	jmp    2aa8 <fg_policy_charge+0x2d8>
    2a41:	mov    (%r12),%r12
    2a45:	test   %r12,%r12
    2a48:	je     2aa8 <fg_policy_charge+0x2d8>
    2a4a:	cmp    0x40(%r12),%rax
    2a4f:	jne    2a41 <fg_policy_charge+0x271>
    2a51:	cmp    %rbx,0x30(%r12)
    2a56:	jne    2a41 <fg_policy_charge+0x271>
    2a58:	add    $0x50,%r12
    2a5c:	test   %r12,%r12
    2a5f:	je     2963 <fg_policy_charge+0x193>
    2a65:	cmp    $0xfffffffffffff000,%r12
    2a6c:	jbe    28d7 <fg_policy_charge+0x107>
    2a72:	mov    $0x3,%eax
    2a77:	jmp    2965 <fg_policy_charge+0x195>
    2a7c:	lea    0x68(%r12),%rax
    2a81:	mov    %rax,%rdi
    2a84:	mov    %rax,(%rsp)
    2a88:	call   2a8d <fg_policy_charge+0x2bd>
    2a8d:	lea    0x8(%r12),%rdi
    2a92:	mov    %r15,%rsi
    2a95:	call   2a9a <fg_policy_charge+0x2ca>
    2a9a:	mov    (%rsp),%rdi
    2a9e:	call   2aa3 <fg_policy_charge+0x2d3>
    2aa3:	jmp    291a <fg_policy_charge+0x14a>
    2aa8:	mov    0x0(%rip),%edx        # 2aae <fg_policy_charge+0x2de>
    2aae:	mov    0x0(%rip),%eax        # 2ab4 <fg_policy_charge+0x2e4>
    2ab4:	cmp    %eax,%edx
    2ab6:	jge    2ad2 <fg_policy_charge+0x302>
    2ab8:	mov    0x60(%rbx),%rax
    2abc:	cmp    %rax,%r15
    2abf:	jb     2ad2 <fg_policy_charge+0x302>
    2ac1:	mov    0x54(%rcx),%edx
    2ac4:	mov    $0x3,%eax
    2ac9:	and    $0x2,%edx
    2acc:	jne    2965 <fg_policy_charge+0x195>
    2ad2:	lea    0x88(%rbx),%r12
    2ad9:	jmp    2a5c <fg_policy_charge+0x28c>
    2adb:	nopl   0x0(%rax,%rax,1)
    2ae0:	nop
    2ae1:	nop
    2ae2:	nop
    2ae3:	nop
    2ae4:	nop
    2ae5:	nop
    2ae6:	nop
    2ae7:	nop
    2ae8:	nop
    2ae9:	nop
    2aea:	nop
    2aeb:	nop
    2aec:	nop
    2aed:	nop
    2aee:	nop
    2aef:	nop

